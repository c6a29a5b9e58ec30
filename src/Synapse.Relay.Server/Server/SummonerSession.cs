using System.Buffers;
using System.Net;
using System.Text;
using Synapse.Relay.Summoner;
using Synapse.Transport;

namespace Synapse.Relay.Server;

/// <summary>
/// A client of the Summoner-compatible listener: plain TCP, one line in, the line wrapped as
/// <c>{"remote_addr": …, "content": …}</c> out to every other Summoner client, as Summoner's relay does. It has no
/// identity, so its rate limit and quarantine are by IP address; backpressure, idle timeout and the line limit (on the
/// bytes the client sent, before any escaping) apply as to agents.
/// </summary>
internal sealed class SummonerSession : RelayLink
{
    private readonly string _wireAddress;
    private readonly string _bucketKey;
    private readonly int _maxLineBytes;
    private long _lastRateNotice;

    public SummonerSession(ITransportConnection transport, RelayServer server)
        : base(transport, server)
    {
        _wireAddress = transport.RemoteEndPoint is IPEndPoint endPoint ? SummonerWire.FormatRemoteAddress(endPoint) : RemoteAddress;
        _maxLineBytes = server.Options.Summoner.MaxLineBytes;
        _bucketKey = "address:" + (Address?.ToString() ?? RemoteAddress);
    }

    public override string? Identity => null;

    public Task RunAsync() => RunAsync(() => Server.SummonerClients[this] = 0, () => Server.SummonerClients.TryRemove(this, out _));

    /// <summary>Summoner's control text: <c>Warning: …</c> and a newline, not JSON.</summary>
    public override byte[] Notice(string code, string text) => Encoding.UTF8.GetBytes($"Warning: {text}\n");

    protected override bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, bool completed, out ReadOnlySequence<byte> frame)
    {
        if (buffer.PositionOf((byte)'\n') is { } newline)
        {
            frame = buffer.Slice(0, newline);
            CheckLength(frame.Length);
            buffer = buffer.Slice(buffer.GetPosition(1, newline));
            return true;
        }

        CheckLength(buffer.Length);
        if (completed && !buffer.IsEmpty)
        {
            // Summoner relays a last line that ends without a newline.
            frame = buffer;
            buffer = buffer.Slice(buffer.End);
            return true;
        }

        frame = default;
        return false;
    }

    protected override ValueTask HandleAsync(ReadOnlySequence<byte> line)
    {
        Relay(line);
        return ValueTask.CompletedTask;
    }

    private void Relay(ReadOnlySequence<byte> line)
    {
        if (!Server.BucketFor(_bucketKey).TryTake())
        {
            Server.Events.Refused(this, Guid.Empty, "rate_limited");
            var now = Server.Time.GetTimestamp();
            if (Server.Time.GetElapsedTime(Interlocked.Read(ref _lastRateNotice), now) >= TimeSpan.FromSeconds(1))
            {
                Interlocked.Exchange(ref _lastRateNotice, now);
                Enqueue(Notice("rate_limited", "You are sending messages too quickly. Please slow down."));
            }

            return;
        }

        var text = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        if (!SummonerWire.TryFormatRelayLine(_wireAddress, text, out var envelope))
        {
            throw new RelayProtocolException("the line is not valid UTF-8") { Code = "invalid_utf8" };
        }

        var recipients = 0;
        foreach (var client in Server.SummonerClients.Keys)
        {
            if (!ReferenceEquals(client, this) && client.Enqueue(envelope, origin: this))
            {
                recipients++;
            }
        }

        Server.Events.Relayed(this, text.Length, recipients);
    }

    private void CheckLength(long length)
    {
        if (length > _maxLineBytes)
        {
            throw new RelayProtocolException($"Line over {_maxLineBytes} bytes refused; disconnected.") { Code = "line_too_long" };
        }
    }
}
