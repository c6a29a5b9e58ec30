using Synapse.Flows;

namespace Synapse.Relay.Client;

/// <summary>
/// How a flow's message on a relay carries its sender's latest decision-record hash, so the receiver's records can
/// point at it: a fixed marker, the hash's length (one byte) and the hash, then the application's payload. A payload
/// without the marker (from an agent that records nothing) is taken as it is.
/// </summary>
internal static class FlowEnvelope
{
    private static ReadOnlySpan<byte> Marker => "\0synapse-flow-v1\0"u8;

    public static byte[] Wrap(IFlowRecorder? recorder, ReadOnlySpan<byte> payload)
    {
        if (recorder is null)
        {
            return payload.ToArray();
        }

        var hash = recorder.LatestHash.Span;
        var wrapped = new byte[Marker.Length + 1 + hash.Length + payload.Length];
        Marker.CopyTo(wrapped);
        wrapped[Marker.Length] = checked((byte)hash.Length);
        hash.CopyTo(wrapped.AsSpan(Marker.Length + 1));
        payload.CopyTo(wrapped.AsSpan(Marker.Length + 1 + hash.Length));
        return wrapped;
    }

    public static void Unwrap(ReadOnlyMemory<byte> message, out ReadOnlyMemory<byte> senderRecord, out ReadOnlyMemory<byte> payload)
    {
        var span = message.Span;
        if (span.Length > Marker.Length && span.StartsWith(Marker) && span.Length >= Marker.Length + 1 + span[Marker.Length])
        {
            var length = span[Marker.Length];
            senderRecord = message.Slice(Marker.Length + 1, length);
            payload = message[(Marker.Length + 1 + length)..];
            return;
        }

        senderRecord = default;
        payload = message;
    }
}
