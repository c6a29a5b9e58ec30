using BenchmarkDotNet.Attributes;
using Synapse.MessagePack;
using Synapse.Testing;

namespace Synapse.Benchmarks;

/// <summary>
/// The server side of a call without the socket: parse the request frame, bind arguments through the generated
/// dispatcher, invoke, encode the response frame. Allocations are reported: the sum path must show none.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private ServerPath _server = null!;
    private byte[] _sum = [];
    private byte[] _sumByName = [];

    [GlobalSetup]
    public void Setup()
    {
        _server = new ServerPath(new BenchAgent());
        _sum = ServerPath.Request("sum", """[1,2]""", "{}");
        _sumByName = ServerPath.Request("sum", "[]", """{"a":1,"b":2}""");
    }

    [Benchmark(Baseline = true)]
    public int Sum() => _server.Handle(_sum);

    [Benchmark]
    public int SumWithKeywords() => _server.Handle(_sumByName);

    [Benchmark]
    public int Ping() => _server.Handle(ServerPath.Ping);
}
