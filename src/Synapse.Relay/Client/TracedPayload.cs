using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace Synapse.Relay.Client;

/// <summary>
/// How a relayed message carries the sender's W3C trace context: inside the sealed payload, so a relay sees no more
/// than before. A fixed marker, the <c>traceparent</c>'s length (one byte) and text, the <c>tracestate</c>'s length
/// (two bytes, big-endian) and text, then the application's payload. A payload without the marker is taken as it is;
/// a marker with lengths past the end, or a context that does not parse, is ignored and the rest is the payload.
/// </summary>
internal static class TracedPayload
{
    /// <summary>The longest <c>tracestate</c> carried (W3C asks to propagate at least 512 characters; a longer or non-ASCII one is left out).</summary>
    public const int MaxTraceStateLength = 512;

    private const int TraceParentLength = 55; // version 00: "00-" + 32 + "-" + 16 + "-" + 2

    private static ReadOnlySpan<byte> Marker => "\0synapse-trace-v1\0"u8;

    /// <summary>The payload with <paramref name="context"/>'s trace context in front, or the payload alone when there is none.</summary>
    public static byte[] Wrap(Activity? context, ReadOnlySpan<byte> payload)
    {
        if (context?.Id is not { Length: TraceParentLength } traceParent || context.IdFormat != ActivityIdFormat.W3C)
        {
            return payload.ToArray();
        }

        var traceState = context.TraceStateString is { Length: <= MaxTraceStateLength } state && Ascii.IsValid(state) ? state : "";
        var wrapped = new byte[Marker.Length + 1 + TraceParentLength + 2 + traceState.Length + payload.Length];
        var at = 0;
        Marker.CopyTo(wrapped);
        at += Marker.Length;
        wrapped[at++] = TraceParentLength;
        at += Encoding.ASCII.GetBytes(traceParent, wrapped.AsSpan(at));
        BinaryPrimitives.WriteUInt16BigEndian(wrapped.AsSpan(at), (ushort)traceState.Length);
        at += 2;
        at += Encoding.ASCII.GetBytes(traceState, wrapped.AsSpan(at));
        payload.CopyTo(wrapped.AsSpan(at));
        return wrapped;
    }

    /// <summary>Splits a received payload into the sender's trace context (default when absent or unusable) and the application's payload.</summary>
    public static ReadOnlyMemory<byte> Unwrap(ReadOnlyMemory<byte> message, out ActivityContext context)
    {
        context = default;
        var span = message.Span;
        if (!span.StartsWith(Marker) || span.Length < Marker.Length + 1)
        {
            return message;
        }

        var at = Marker.Length;
        int parentLength = span[at++];
        if (span.Length - at < parentLength + 2)
        {
            return message;
        }

        var parent = span.Slice(at, parentLength);
        at += parentLength;
        int stateLength = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
        at += 2;
        if (span.Length - at < stateLength)
        {
            return message;
        }

        var state = span.Slice(at, stateLength);
        at += stateLength;
        if (parentLength == TraceParentLength && stateLength <= MaxTraceStateLength && Ascii.IsValid(parent) && Ascii.IsValid(state))
        {
            _ = ActivityContext.TryParse(Encoding.ASCII.GetString(parent), stateLength == 0 ? null : Encoding.ASCII.GetString(state), isRemote: true, out context);
        }

        return message[at..];
    }
}
