// docs/swarm.md: joining a swarm, asking it, and serving artifacts.
using System.Net;
using Synapse.Artifacts;
using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Swarm;
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
