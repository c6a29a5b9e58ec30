using Synapse.MessagePack;
using Synapse.Testing;

namespace Synapse.Generated.Tests;

/// <summary>
/// The server side of a call (parse the request frame, resolve, bind through the generated dispatcher, invoke,
/// encode the response frame) allocates nothing in steady state for primitive endpoints.
/// </summary>
public class AllocationTests
{
    [Theory]
    [InlineData("""[2,3]""", "{}")]
    [InlineData("[]", """{"b":3,"a":2}""")]
    [InlineData("[2]", """{"b":3}""")]
    public void Sum_request_to_response_allocates_nothing(string argsJson, string kwargsJson)
    {
        var server = new ServerPath(new Calculator());
        var request = ServerPath.Request("sum", argsJson, kwargsJson);

        Assert.Equal(0, SteadyStateAllocations(() => server.Handle(request)));
        Assert.Equal(5, MsgPackValue.Parse(server.LastResponse[4..])["result"]!.AsInt64());
    }

    [Fact]
    public void Builtin_ping_allocates_nothing()
    {
        var server = new ServerPath(new Calculator());

        Assert.Equal(0, SteadyStateAllocations(() => server.Handle(ServerPath.Ping)));
        Assert.Equal("pong", MsgPackValue.Parse(server.LastResponse[4..])["result"]!.AsString());
    }

    /// <summary>
    /// Bytes allocated by 10,000 calls, the least of three rounds: the JIT's tiering may allocate once on the calling
    /// thread while it swaps in optimized code, which is not the code's steady state.
    /// </summary>
    private static long SteadyStateAllocations(Action call)
    {
        var least = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                call();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
