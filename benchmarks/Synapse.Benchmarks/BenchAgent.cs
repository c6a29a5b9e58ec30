using Synapse;

namespace Synapse.Benchmarks;

/// <summary>The agent every benchmark calls.</summary>
[AgentNode(Name = "bench")]
public partial class BenchAgent
{
    /// <summary>Primitives in, primitive out: the zero-allocation path.</summary>
    [Endpoint("sum")]
    public int Sum(int a, int b) => a + b;

    /// <summary>Returns its payload, for message-size runs.</summary>
    [Endpoint("echo")]
    public byte[] Echo(byte[] payload) => payload;
}
