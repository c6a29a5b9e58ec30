using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Synapse.Client;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

/// <summary>
/// The host's counterpart of the relay's partial-frame budget (issue 14, finding 1): connections that each hold a
/// frame begun but not finished cannot together pin more than <c>MaxPartialFrameBytes</c>.
/// </summary>
public sealed class PartialFrameBudgetTests
{
    private const int FrameSize = 256 * 1024;
    private const int Held = 200 * 1024;

    [Fact]
    public async Task A_connection_whose_partial_frame_would_pass_the_budget_is_told_the_host_is_busy_and_the_budget_frees_on_close()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.MaxFrameSize = FrameSize;
            o.MaxPartialFrameBytes = 500 * 1024;
        });
        using var first = await HoldPartialFrameAsync(host.Port);
        using var second = await HoldPartialFrameAsync(host.Port);
        await WireCompatibilityTests.WaitUntilAsync(() => host.Host.PartialFrames.Held >= 2L * (Held + 4));

        // A third would take the total to about 600 KiB.
        using var third = await HoldPartialFrameAsync(host.Port);
        var refusal = RawSocket.Single(await RawSocket.ReadToEndAsync(third, TimeSpan.FromSeconds(20)));
        WireCompatibilityTests.AssertError(refusal, "", "bad_request",
            $"{RpcProtocol.ServerBusyPrefix} the host holds as many incomplete frames as it may ({500 * 1024} bytes); send again later");

        // Real callers are served meanwhile (a complete request holds nothing between reads).
        await using (var client = new SynapseClient("127.0.0.1", host.Port))
        {
            Assert.Equal("pong", await client.PingAsync());
        }

        // When a holder leaves, its share returns: another partial frame fits again.
        first.Close();
        await WireCompatibilityTests.WaitUntilAsync(() => host.Host.PartialFrames.Held <= Held + 4);
        using var fourth = await HoldPartialFrameAsync(host.Port);
        await WireCompatibilityTests.WaitUntilAsync(() => host.Host.PartialFrames.Held >= 2L * (Held + 4));
        Assert.True(fourth.Connected);
    }

    [Fact]
    public async Task The_budget_must_hold_at_least_one_whole_frame()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TestHost.StartAsync(o =>
        {
            o.MaxFrameSize = FrameSize;
            o.MaxPartialFrameBytes = FrameSize;
        }));

        Assert.Equal("MaxPartialFrameBytes", error.ParamName);
    }

    /// <summary>Opens a plaintext connection that sends the length of a whole frame and only part of its body.</summary>
    private static async Task<Socket> HoldPartialFrameAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var bytes = new byte[4 + Held];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, FrameSize - 16);
        await socket.SendAsync(bytes);
        return socket;
    }
}
