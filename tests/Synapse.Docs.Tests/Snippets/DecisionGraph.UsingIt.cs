// docs/decision-graph.md: "Using it", the recorder after it, and "Resuming".
using Synapse.Flows;
using Synapse.Flows.Graph;
using Synapse.Identity;

namespace Synapse.Docs.Tests.Snippets;

/// <summary>The message an application received: its id and the sender's latest record hash it carried.</summary>
internal sealed record ReceivedMessage(Guid Id, DecisionHash? SenderRecordHash);

internal static class DecisionGraphUsingIt
{
    public static (FlowStates States, DecisionRecord Record, DecisionHash? Latest) Run(
        string dataDirectory, AgentIdentity identity, byte[] payload, ReceivedMessage message, byte[] bytesFromPeer)
    {
        using var graph = DecisionGraph.Open(dataDirectory, identity);   // <dataDirectory>/decisions.db

        // On start: the flow's kept states, resumed per key from its newest recorded batch (see "Resuming" below).
        FlowStates states = graph.ResumeFlowStates("idle");

        // On every transition (returns after the record is on disk):
        DecisionRecord record = graph.Append(new DecisionDraft
        {
            Route = "review/submit",
            StatesBefore = ["doc42:draft"],
            StatesAfter = ["doc42:review"],
            Trigger = "ok.match",
            Action = DecisionActions.Move,            // "move", "stay", "test" or "none"
            Data = payload,                           // only its SHA-256 is recorded
            CauseMessageId = message.Id,
            CauseHash = message.SenderRecordHash,     // the sender's latest record hash, carried by the message
            PeerRefs = [],
        });

        // On every outgoing message: attach the sender's latest record hash.
        DecisionHash? latest = graph.LatestHash;

        // To check links from this graph alone, keep the peer records a decision depends on:
        graph.ImportPeerRecord(DecisionRecord.Decode(bytesFromPeer));   // verifies the signature first

        return (states, record, latest);
    }

    public static FlowRunnerOptions Recorder(DecisionGraph graph)
    {
        var options = new FlowRunnerOptions { Recorder = new DecisionGraphRecorder(graph) };
        return options;
    }

    public static (FlowStates Unkeyed, FlowStates Keyed) Resuming(DecisionGraph graph)
    {
        FlowStates unkeyed = graph.ResumeFlowStates("idle");
        FlowStates keyed = graph.ResumeFlowStates([new KeyValuePair<string?, IReadOnlyList<StateNode>>("doc1", [StateNode.State("draft")])]);
        return (unkeyed, keyed);
    }
}
