using System.Diagnostics;
using Synapse.Relay.Client;

namespace Synapse.Tests.Relay;

/// <summary>The trace context a relay client seals in front of a payload.</summary>
public sealed class TracedPayloadTests
{
    [Fact]
    public void Without_a_span_the_payload_is_sent_as_it_is()
    {
        byte[] payload = [1, 2, 3];

        Assert.Equal(payload, TracedPayload.Wrap(null, payload));
    }

    [Fact]
    public void A_wrapped_payload_gives_back_the_payload_and_the_span_as_a_remote_parent()
    {
        using var span = new Activity("send").SetIdFormat(ActivityIdFormat.W3C).Start();
        span.TraceStateString = "vendor=a1";

        var received = TracedPayload.Unwrap(TracedPayload.Wrap(span, "note"u8), out var context);

        Assert.Equal("note"u8.ToArray(), received.ToArray());
        Assert.Equal((span.TraceId, span.SpanId, "vendor=a1", true), (context.TraceId, context.SpanId, context.TraceState, context.IsRemote));
    }

    [Fact]
    public void A_trace_state_past_the_limit_is_left_out_and_the_parent_kept()
    {
        using var span = new Activity("send").SetIdFormat(ActivityIdFormat.W3C).Start();
        span.TraceStateString = "v=" + new string('x', TracedPayload.MaxTraceStateLength);

        _ = TracedPayload.Unwrap(TracedPayload.Wrap(span, "note"u8), out var context);

        Assert.Equal(span.SpanId, context.SpanId);
        Assert.Null(context.TraceState);
    }

    [Fact]
    public void A_payload_that_only_starts_like_a_traced_one_is_taken_whole()
    {
        using var span = new Activity("send").SetIdFormat(ActivityIdFormat.W3C).Start();
        var wrapped = TracedPayload.Wrap(span, []);
        var cut = wrapped[..^1]; // the trace state's length promises more than is there

        var received = TracedPayload.Unwrap(cut, out var context);

        Assert.Equal(cut, received.ToArray());
        Assert.Equal(default, context);
    }

    [Fact]
    public void A_context_that_does_not_parse_is_ignored_and_the_payload_kept()
    {
        using var span = new Activity("send").SetIdFormat(ActivityIdFormat.W3C).Start();
        var wrapped = TracedPayload.Wrap(span, "note"u8);
        var traceId = "\0synapse-trace-v1\0".Length + 1 + "00-".Length;
        wrapped[traceId] = (byte)'z'; // not a hex digit

        var received = TracedPayload.Unwrap(wrapped, out var context);

        Assert.Equal("note"u8.ToArray(), received.ToArray());
        Assert.Equal(default, context);
    }
}
