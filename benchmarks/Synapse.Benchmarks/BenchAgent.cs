using System.Runtime.CompilerServices;
using Synapse;

namespace Synapse.Benchmarks;

/// <summary>The agent every benchmark calls.</summary>
[AgentNode(Name = "bench")]
public partial class BenchAgent
{
    private long _produced;

    /// <summary>Stream items produced so far (every stream of this agent).</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>Primitives in, primitive out: the zero-allocation path.</summary>
    [Endpoint("sum")]
    public int Sum(int a, int b) => a + b;

    /// <summary>Returns its payload, for message-size runs.</summary>
    [Endpoint("echo")]
    public byte[] Echo(byte[] payload) => payload;

    /// <summary>The numbers 0 to <paramref name="count"/> − 1, as a stream of small items.</summary>
    [Endpoint("numbers")]
    public async IAsyncEnumerable<int> Numbers(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Interlocked.Increment(ref _produced);
            yield return i;
        }

        await Task.CompletedTask;
    }

    /// <summary>Payloads of <paramref name="size"/> bytes without end, until the caller stops.</summary>
    [Endpoint("blobs")]
    public async IAsyncEnumerable<byte[]> Blobs(int size, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _produced);
            yield return new byte[size];
            await Task.Yield();
        }
    }
}
