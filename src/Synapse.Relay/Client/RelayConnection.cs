using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;

namespace Synapse.Relay.Client;

/// <summary>One live link from an agent to a relay: a writer that serializes frames, and the read loop.</summary>
internal sealed class RelayConnection
{
    private readonly RelayClient _client;
    private readonly ITransportConnection _link;
    private readonly FrameOutbox _outbox;
    private readonly List<Guid> _received = [];

    public RelayConnection(RelayClient client, RelayEndpoint relay, ITransportConnection link)
    {
        _client = client;
        Relay = relay;
        _link = link;
        _outbox = new FrameOutbox(link.Pipe.Output, TimeSpan.FromSeconds(10), link.Abort);
    }

    public RelayEndpoint Relay { get; }

    /// <summary>The id the relay proved in the handshake.</summary>
    public string? PeerId => _link.PeerId;

    public void SendEnvelope(ReadOnlyMemory<byte> envelope) => Enqueue(new RelayFrame { Op = RelayOp.Send, Envelope = envelope }.Encode());

    public void SendJoin(string room) => Enqueue(new RelayFrame { Op = RelayOp.Join, Room = room }.Encode());

    public void SendLeave(string room) => Enqueue(new RelayFrame { Op = RelayOp.Leave, Room = room }.Encode());

    public void SendFrame(byte[] frame) => Enqueue(frame);

    /// <summary>Reads until the link ends; never throws.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var registration = stopping.Register(_link.Abort);
        var input = _link.Pipe.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(stopping).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (Frames.TryTakeFrame(ref buffer, int.MaxValue / 2, out var body))
                {
                    await HandleAsync(RelayFrame.Decode(body), stopping).ConfigureAwait(false);
                    if (_received.Count == RelayFrame.MaxIdsPerFrame)
                    {
                        ConfirmReceived();
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                ConfirmReceived(); // one confirmation for everything handled from this read
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (LinkLoss.Is(e) || e is OperationCanceledException or RelayProtocolException)
        {
        }
        finally
        {
            _outbox.Complete();
            _link.Abort();
            await _outbox.Completion.ConfigureAwait(false);
            await _link.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask HandleAsync(RelayFrame frame, CancellationToken stopping)
    {
        if (frame.Op is RelayOp.Ack or RelayOp.Nack or RelayOp.Found && _client.TryCompleteRequest(frame))
        {
            return;
        }

        switch (frame.Op)
        {
            case RelayOp.Deliver:
                var id = await _client.ReceiveAsync(frame.Envelope, stopping).ConfigureAwait(false);
                if (id != Guid.Empty)
                {
                    _received.Add(id);
                }

                break;
            case RelayOp.Ack:
                foreach (var acknowledged in frame.AllMessageIds())
                {
                    _client.OnAcknowledged(acknowledged);
                }

                break;
            case RelayOp.Nack when frame.Room is { } room:
                _client.OnJoinRefused(room, frame.Error ?? "refused", frame.Message ?? "");
                break;
            case RelayOp.Nack:
                _client.OnRefused(frame.MessageId, frame.Error ?? "refused", frame.Message ?? "", frame.Retry, this);
                break;
            case RelayOp.Joined:
                _client.OnJoined(frame.Room ?? "");
                break;
            case RelayOp.Notice:
                _client.OnNotice(frame.Error ?? "notice", frame.Message ?? "");
                break;
        }
    }

    private void ConfirmReceived()
    {
        if (_received.Count > 0)
        {
            Enqueue(RelayFrame.ForIds(RelayOp.Received, [.. _received]));
            _received.Clear();
        }
    }

    private void Enqueue(byte[] frame) => _outbox.TryEnqueue(new EncodedFrame(frame));

    private sealed class EncodedFrame(byte[] frame) : IOutboundFrame
    {
        public ReadOnlyMemory<byte> Frame => frame;

        public void OnWritten()
        {
        }
    }
}
