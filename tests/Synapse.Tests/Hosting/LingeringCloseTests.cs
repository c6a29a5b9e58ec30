using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Hosting;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Tests.Hosting;

public sealed class LingeringCloseTests
{
    [Fact]
    public async Task The_error_is_sent_our_side_closed_and_what_the_peer_still_sends_is_dropped()
    {
        var transport = new PipeTransport();
        await transport.Caller.Send.WriteAsync(new byte[1000]); // unread: closing over it would reset the connection
        var closing = LingeringClose.RejectAsync(new ConnectionLink(transport, secure: false), outbox: null, TimeSpan.FromSeconds(5), NullLogger.Instance, "frame too large: 9 > 8");

        var sent = await TestCalls.Within(ReadToEndAsync(transport.Caller.Receive));
        Assert.Equal(RpcProtocol.EncodeErrorFrame(default, RpcErrorCodes.BadRequest, "frame too large: 9 > 8"), sent);

        await transport.Caller.Send.CompleteAsync();
        await TestCalls.Within(closing); // it read to the peer's end
    }

    [Fact]
    public async Task On_a_multiplexed_connection_the_error_follows_the_responses_already_queued()
    {
        var transport = new PipeTransport();
        var outbox = new FrameOutbox(transport.Output, TimeSpan.FromSeconds(5), () => { });
        var queued = TestCalls.Start("1");
        queued.CompleteWithNil();
        outbox.TryEnqueue(queued);
        await transport.Caller.Send.CompleteAsync();

        await TestCalls.Within(LingeringClose.RejectAsync(new ConnectionLink(transport, secure: false), outbox, TimeSpan.FromSeconds(5), NullLogger.Instance, "incomplete frame"));

        var sent = await TestCalls.Within(ReadToEndAsync(transport.Caller.Receive));
        var error = RpcProtocol.EncodeErrorFrame(default, RpcErrorCodes.BadRequest, "incomplete frame");
        Assert.Equal([.. queued.ResponseFrame.ToArray(), .. error], sent);
    }

    [Fact]
    public async Task Lingering_ends_when_the_peer_closes()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[300]);
        await pipe.Writer.CompleteAsync();

        var dropped = await TestCalls.Within(LingeringClose.LingerAsync(pipe.Reader, TimeSpan.FromSeconds(30), 1024));

        Assert.Equal(300, dropped);
    }

    [Fact]
    public async Task Lingering_stops_after_its_byte_budget_without_waiting_for_the_peer()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[300]);

        var dropped = await TestCalls.Within(LingeringClose.LingerAsync(pipe.Reader, TimeSpan.FromSeconds(30), 100));

        Assert.Equal(300, dropped);
    }

    [Fact]
    public async Task Lingering_gives_up_after_its_time()
    {
        var pipe = new Pipe();
        var watch = Stopwatch.StartNew();

        var dropped = await TestCalls.Within(LingeringClose.LingerAsync(pipe.Reader, TimeSpan.FromMilliseconds(200), 1024));

        Assert.Equal(0, dropped);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(150), watch.Elapsed.ToString());
    }

    private static async Task<byte[]> ReadToEndAsync(PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
