using System.Diagnostics;
using Synapse.Fuzz.Tests.Engine;
using Synapse.Relay.Client;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// A relay client reading the trace context a sender sealed in front of a payload: <see cref="TracedPayload.Unwrap"/>
/// never throws, and what it returns is the end of its input.
/// </summary>
public sealed class TracedPayloadTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "relay-traced-payload";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        using var activity = new Activity("seed").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=value,other=1";
        yield return TracedPayload.Wrap(activity, "hello"u8);
        activity.TraceStateString = null;
        yield return TracedPayload.Wrap(activity, []);
        yield return "plain payload"u8.ToArray();
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        var payload = TracedPayload.Unwrap(input, out _);
        if (!input.AsSpan().EndsWith(payload.Span))
        {
            throw new InvalidOperationException($"the payload ({payload.Length} bytes) is not the end of the input ({input.Length} bytes)");
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => false;
}
