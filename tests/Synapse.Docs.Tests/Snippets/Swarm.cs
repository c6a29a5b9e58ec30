// docs/swarm.md: joining a swarm, asking it, and serving artifacts.
using System.Net;
using Synapse.Artifacts;
using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Swarm;
using Synapse.Swarm.Teams;
using ReviewerAgent;

namespace Synapse.Docs.Tests.Snippets;

internal static class SwarmSnippet
{
    public static async Task JoinAsync()
    {
        var options = new AgentHostOptions
        {
            BindAddress = IPAddress.Any,
            Port = 9999,
            SwarmNode = new SwarmOptions
            {
                Swarm = "lab",                    // peers of another swarm are refused
                AdvertisedAddress = "10.0.0.5",   // what peers dial; defaults to the host's advertised or bound address
                Seeds = { "10.0.0.2:9999" },      // host:port, port 9999 when omitted
            },
        };
        await using var host = new AgentHost(new Reviewer(), options);
        await host.StartAsync();
        SwarmNode swarm = host.SwarmNode!;  // the host's membership, once started
        await swarm.Joined;                // a seed accepted us (at once when there are no seeds)
        foreach (var peer in swarm.Membership.Peers) { /* SwarmPeer: Id, Address, Port, LastSeen, … */ }
    }

    public static async Task AskAsync(AgentHost host, CancellationToken cancellationToken)
    {
        var options = new SwarmAskOptions
        {
            Timeout = TimeSpan.FromSeconds(30),                   // default 30 s, as `sn ask --timeout`
            Context = MsgPackValue.ParseJson("""{"url":"x"}"""),  // the `context` kwarg; omitted when null
            RequiredCapabilities = { "code-review" },             // optional: only peers whose Peer map lists these
            MaxPeers = 64,                                        // at most this many peers, most recently heard from first
        };
        SwarmAskResult result = await host.SwarmNode!.AskAsync("review PR 1", options, cancellationToken);
        foreach (var answer in result.Answers) { /* Peer, Outcome, Acknowledged, Result, Error */ }
        if (!result.IsComplete) { /* result.TimedOut: the peers still silent at the timeout */ }
    }
}

/// <summary>docs/swarm.md: artifacts a host serves.</summary>
internal static class SwarmArtifactsSnippet
{
    public static void Add(AgentHostOptions options, string styleGuide)
    {
        options.Artifacts.Add(ServedArtifact.FromValue("agent-card", MsgPackValue.Map(
        [
            ("name", "reviewer"),
            ("capabilities", MsgPackValue.FromArray(["code-review", "pytest"])),
        ]), ServedArtifact.AgentCardMimeType, description: "Self-description for peers that understand agent cards."));
        options.Artifacts.Add(ServedArtifact.FromText("style-guide", styleGuide, "text/markdown"));
    }
}

/// <summary>docs/swarm.md: an endpoint that hears broadcasts and replies to them.</summary>
[AgentNode(Name = "listener")]
public sealed partial class Listener
{
    [Endpoint("synapse.message")]
    public async Task<string> Message(string text, SwarmBroadcast? broadcast, CancellationToken cancellationToken)
    {
        if (broadcast is not null) // null when called directly
        {
            await broadcast.ReplyAsync(MsgPackValue.Map(("heard", text)), cancellationToken);
        }

        return "noted";
    }
}

/// <summary>docs/swarm.md: broadcasts, teams, and a swarm that requires signed events.</summary>
internal static class SwarmCooperationSnippet
{
    public static async Task BroadcastAsync(AgentHost host)
    {
        SwarmNode swarm = host.SwarmNode!;
        SwarmBroadcast sent = await swarm.BroadcastAsync("synapse.message", ["hello"]);
        swarm.BroadcastReplied += (_, e) => Console.WriteLine($"{e.Reply.Peer.Id}: {e.Reply.Result.ToJson()}");
        IReadOnlyList<SwarmReply> replies = swarm.Replies(sent); // those stored so far
    }

    public static async Task TeamAsync(AgentHost host, AgentHost workerHost)
    {
        await using var team = new SwarmTeam(host.SwarmNode!, new SwarmTeamOptions { Lease = TimeSpan.FromMinutes(5), MaxAttempts = 3 });
        team.Restore(); // the tasks of this node's log, after a restart
        SwarmTeamTask offered = await team.OfferAsync("review PR 7", MsgPackValue.Map(("pr", 7)), requires: ["code-review"]);
        SwarmTeamTask done = await team.WaitAsync(offered.TaskId, TimeSpan.FromMinutes(30)); // throws SwarmTeamTaskException if it failed

        // on a worker's node
        await using var worker = new SwarmWorker(workerHost.SwarmNode!, async (task, cancellationToken) =>
        {
            await task.ProgressAsync("cloned", cancellationToken: cancellationToken);
            return $"reviewed {task.Title}";
        });
    }

    public static AgentHostOptions Signed() => new()
    {
        SwarmNode = new SwarmOptions
        {
            Swarm = "lab",
            RequireSignedEvents = true,                       // Synapse-only swarm: refuse unsigned events
            PeerKeys = { ["auditor"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" },
            ConversationLog = SqliteConversationLog.Open("data/lead"),
        },
    };
}
