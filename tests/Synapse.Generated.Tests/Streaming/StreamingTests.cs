using System.Runtime.CompilerServices;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Generated.Tests.Streaming;

/// <summary>Endpoints that return <c>IAsyncEnumerable&lt;T&gt;</c>, called through their generated client.</summary>
public sealed class StreamingTests() : AgentOnLoopback<Ticker>(new Ticker())
{
    [Fact]
    public async Task Items_arrive_in_order_through_the_generated_client()
    {
        var items = new List<int>();
        await foreach (var item in new TickerClient(Client).CountAsync(1, 100))
        {
            items.Add(item);
        }

        Assert.Equal(Enumerable.Range(1, 100), items);
    }

    [Fact]
    public async Task The_methods_list_marks_streaming_endpoints_only()
    {
        var methods = (await Client.CallAsync("_synapse.methods")).AsArray().ToDictionary(m => m["name"]!.AsString());

        Assert.True(methods["count"]["streaming"]!.AsBoolean());
        Assert.Null(methods["ping_ticker"]["streaming"]);
    }

    [Fact]
    public async Task A_consumer_that_stops_reading_holds_the_producer_to_its_window()
    {
        await using var readings = new TickerClient(Client).ReadingsAsync().GetAsyncEnumerator();
        Assert.True(await readings.MoveNextAsync());
        Assert.Equal(new Reading(0, "reading 0"), readings.Current);

        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the producer runs ahead as far as its credit lets it
        var produced = Volatile.Read(ref Agent.Produced);

        // The window's items sent, and one more produced that waits for credit.
        Assert.InRange(produced, 2, RpcProtocol.StreamWindow + 1);
        for (var i = 1; i < 200; i++)
        {
            Assert.True(await readings.MoveNextAsync());
            Assert.Equal(i, readings.Current.Seq);
        }
    }

    [Fact]
    public async Task Stopping_the_enumeration_disposes_the_hosts_enumerator()
    {
        await foreach (var reading in new TickerClient(Client).ReadingsAsync())
        {
            if (reading.Seq == 2)
            {
                break;
            }
        }

        await Agent.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelling_the_enumeration_cancels_the_hosts_enumerator()
    {
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var reading in new TickerClient(Client).ReadingsAsync(cancel.Token))
            {
                if (++seen == 3)
                {
                    await cancel.CancelAsync();
                }
            }
        });
        await Agent.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_failure_in_the_stream_reaches_the_consumer_after_the_items_before_it()
    {
        var items = new List<string>();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var item in new TickerClient(Client).FailAfterAsync(3))
            {
                items.Add(item);
            }
        });

        Assert.Equal(["item 0", "item 1", "item 2"], items);
        Assert.Equal((RpcErrorCodes.InternalError, "the source ran dry"), (error.Code, error.Message));
    }

    [Fact]
    public async Task Many_streams_share_one_connection_and_each_gets_its_own_items()
    {
        var ticker = new TickerClient(Client);

        var streams = await Task.WhenAll(Enumerable.Range(0, 8).Select(async n =>
        {
            var items = new List<int>();
            await foreach (var item in ticker.CountAsync(n * 1000, (n * 1000) + 299))
            {
                items.Add(item);
            }

            return (n, items);
        }));

        Assert.All(streams, s => Assert.Equal(Enumerable.Range(s.n * 1000, 300), s.items));
    }

    [Fact]
    public async Task An_untyped_stream_yields_each_item_as_a_value()
    {
        var items = new List<long>();
        await foreach (var item in Client.StreamAsync("count", [5, 7]))
        {
            items.Add(item.AsInt64());
        }

        Assert.Equal([5, 6, 7], items);
    }

    [Fact]
    public async Task An_item_larger_than_the_client_accepts_fails_the_stream_after_the_items_before_it()
    {
        await using var small = new SynapseClient("127.0.0.1", Host.Port, new SynapseClientOptions { MaxFrameSize = 4096 });
        var items = new List<string>();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var item in new TickerClient(small).GrowingAsync())
            {
                items.Add(item);
            }
        });

        Assert.Equal([1000, 2000, 3000, 4000], items.Select(i => i.Length)); // 5,000 characters and the item's fields pass 4,096 bytes
        Assert.Equal(RpcErrorCodes.InternalError, error.Code);
        Assert.Matches(@"^stream item too large: \d+ > 4096$", error.Message);
    }

    [Fact]
    public async Task A_call_on_a_connection_of_one_call_gets_an_error_naming_the_endpoint()
    {
        await using var perCall = new SynapseClient("127.0.0.1", Host.Port, new SynapseClientOptions { Mode = ConnectionMode.PerCall, Security = LinkSecurity.Disabled });

        var called = await Assert.ThrowsAsync<RpcException>(() => perCall.CallAsync("count", [1, 3]));
        var streamed = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var item in new TickerClient(perCall).CountAsync(1, 3))
            {
            }
        });

        Assert.Equal(RpcErrorCodes.BadRequest, called.Code);
        Assert.StartsWith("count streams its results: call it over a multiplexed Synapse connection", called.Message);
        Assert.Contains("'count' streams its results, but 127.0.0.1", streamed.Message);
        Assert.Contains("serves one call per connection", streamed.Message);
    }
}

/// <summary>An item with fields of its own.</summary>
[SynapseMessage]
public sealed record Reading(int Seq, string Text);

/// <summary>An agent whose endpoints stream.</summary>
[AgentNode(Name = "ticker")]
public sealed partial class Ticker
{
    public int Produced;

    public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The numbers from <paramref name="from"/> to <paramref name="to"/>.</summary>
    [Endpoint("count")]
    public async IAsyncEnumerable<int> Count(int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    /// <summary>Readings without end, until the caller stops.</summary>
    [Endpoint("readings")]
    public async IAsyncEnumerable<Reading> Readings([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (var i = 0; ; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Interlocked.Increment(ref Produced);
                yield return new Reading(i, "reading " + i);
                await Task.Yield();
            }
        }
        finally
        {
            Disposed.TrySetResult();
        }
    }

    /// <summary>Some items, then a failure.</summary>
    [Endpoint("fail_after")]
    public async IAsyncEnumerable<string> FailAfter(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return "item " + i;
        }

        throw new InvalidOperationException("the source ran dry");
    }

    /// <summary>Items of 1,000, 2,000… characters.</summary>
    [Endpoint("growing")]
    public async IAsyncEnumerable<string> Growing()
    {
        for (var size = 1000; size <= 10_000; size += 1000)
        {
            await Task.Yield();
            yield return new string('x', size);
        }
    }

    /// <summary>A plain endpoint beside the streams.</summary>
    [Endpoint("ping_ticker")]
    public string Ping() => "pong";
}
