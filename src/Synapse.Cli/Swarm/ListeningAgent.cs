using Synapse.Rpc;

namespace Synapse.Cli.Swarm;

/// <summary>
/// The agent behind the tool's own swarm member: no endpoints, no ask handler, no jobs. The host around it answers
/// only the built-ins, the swarm's among them, which is all the tool needs to hear heartbeats, conversation events
/// and broadcast replies. Hand-written because the tool's project does not run the source generator.
/// </summary>
internal sealed class ListeningAgent(string name) : IAgentNode
{
    public AgentDispatcher CreateDispatcher() => new Dispatcher(name);

    private sealed class Dispatcher(string name) : AgentDispatcher
    {
        public override AgentDescriptor Descriptor { get; } = new(name, "", "The synapse command-line tool, listening to a swarm", [], [], [], -1);

        public override int FindEndpoint(ReadOnlySpan<byte> utf8Name) => -1;

        public override ValueTask InvokeAsync(int target, RpcInvocation call) =>
            throw new ArgumentOutOfRangeException(nameof(target), target, "the tool's swarm member has no endpoints");
    }
}
