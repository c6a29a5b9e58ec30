using System.Net;
using System.Net.Sockets;
using Synapse.MessagePack;

namespace Synapse.Tests.Rpc;

/// <summary>Talks to a host byte by byte, as a synapse-p2p peer or a hostile one would.</summary>
internal static class RawSocket
{
    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(char.IsAsciiHexDigit)));

    public static byte[] Frame(byte[] payload)
    {
        var frame = new byte[payload.Length + 4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    public static byte[] Frame(string json) => Frame(MsgPackValue.ParseJson(json).ToBytes());

    /// <summary>Sends <paramref name="bytes"/>, optionally half-closes, and returns everything received until the host closes.</summary>
    public static async Task<byte[]> ExchangeAsync(int port, byte[] bytes, bool shutdownSend = false, TimeSpan? timeout = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await socket.SendAsync(bytes);
        if (shutdownSend)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        return await ReadToEndAsync(socket, timeout ?? TimeSpan.FromSeconds(10));
    }

    public static async Task<byte[]> ReadToEndAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }

            if (n == 0)
            {
                break;
            }

            received.Write(buffer, 0, n);
        }

        return received.ToArray();
    }

    /// <summary>Splits a byte stream into frame payloads.</summary>
    public static List<byte[]> Frames(byte[] stream)
    {
        var frames = new List<byte[]>();
        var offset = 0;
        while (offset + 4 <= stream.Length)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(offset));
            frames.Add(stream.AsSpan(offset + 4, length).ToArray());
            offset += 4 + length;
        }

        Assert.Equal(stream.Length, offset);
        return frames;
    }

    public static MsgPackValue Single(byte[] stream) => MsgPackValue.Parse(Assert.Single(Frames(stream)));
}
