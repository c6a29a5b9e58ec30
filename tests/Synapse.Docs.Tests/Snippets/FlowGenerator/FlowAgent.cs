// docs/flow-generator.md, "What is generated": the node whose generated flow table the doc shows (FlowAgent.Flow.g.cs).
// GeneratedCodeTests compiles it with the generator and checks that what the doc shows is what the generator emits.
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Demo;

[SynapseMessage]
public sealed record Order(string Item, int Count);

[AgentNode]
public partial class FlowAgent
{
    [Receive("ready --[ checking ]--> done, failed", Priority = new[] { 1 })]
    public async Task<FlowEvent?> Check(Order order, CancellationToken ct)
    {
        await Task.Yield();
        return null;
    }

    // Reaches 'ready' (without it, 'ready' is reached by no arrow: SYN023).
    [Receive("--> ready")]
    public FlowEvent? Start(object? payload) => null;
}
