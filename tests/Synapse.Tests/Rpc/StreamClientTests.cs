using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

/// <summary>What a client does with a host that breaks the stream rules: a raw host on loopback, written frame by frame.</summary>
public sealed class StreamClientTests
{
    [Fact]
    public async Task A_host_that_sends_more_items_than_it_was_granted_fails_the_stream()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var host = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            var stream = socket.GetStream();
            _ = await ReadFrameAsync(stream); // hello
            await WriteFrameAsync(stream, MsgPackValue.Map(("id", "0"), ("ok", true),
                ("result", MsgPackValue.Map(("protocol", "synapse/1"), ("features", MsgPackValue.FromArray(["mux", "cancel", "stream"])), ("max_frame_size", 65536))),
                ("error", MsgPackValue.Nil), ("type", "response")));
            var request = MsgPackValue.Parse(await ReadFrameAsync(stream));
            for (var i = 0; i < RpcProtocol.StreamWindow + 1; i++)
            {
                await WriteFrameAsync(stream, MsgPackValue.Map(("id", request["id"]!), ("type", "item"), ("value", i)));
            }

            await Task.Delay(TimeSpan.FromSeconds(5)); // keep the connection open while the client reads
        });
        await using var client = new SynapseClient((IPEndPoint)listener.LocalEndpoint, new SynapseClientOptions { Security = LinkSecurity.Disabled, Mode = ConnectionMode.Multiplexed });
        var items = new List<long>();

        await using var stream = client.StreamAsync("numbers").GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // every item has arrived, none was granted beyond the window
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stream.MoveNextAsync())
            {
                items.Add(stream.Current.AsInt64());
            }
        });

        Assert.Equal(RpcErrorCodes.ProtocolError, error.Code);
        Assert.Equal("'numbers' sent more stream items than it was granted", error.Message);
        Assert.True(items.Count < RpcProtocol.StreamWindow, $"{items.Count} items read after the first");
    }

    private static async Task<byte[]> ReadFrameAsync(NetworkStream stream)
    {
        var header = new byte[4];
        await stream.ReadExactlyAsync(header);
        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(header)];
        await stream.ReadExactlyAsync(payload);
        return payload;
    }

    private static async Task WriteFrameAsync(NetworkStream stream, MsgPackValue message)
    {
        var payload = message.ToBytes();
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        await stream.WriteAsync(frame);
    }
}
