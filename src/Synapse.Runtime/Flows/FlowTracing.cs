using System.Diagnostics;

namespace Synapse.Flows;

/// <summary>
/// Spans of flow transitions, on the <c>ActivitySource</c> named <c>Synapse.Flows</c>: one around each receiver a
/// message fires (named by its route in canonical form, as decision records hold it), the child of the span that delivered the
/// message (a relay's <c>process</c> span, a call's server span), tagged with the receiver, the state it fired on, the
/// event it returned and the states reached. With no listener nothing is created.
/// </summary>
internal static class FlowTracing
{
    public const string SourceName = "Synapse.Flows";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span for <paramref name="receiver"/> firing on <paramref name="state"/>; null when nobody listens.</summary>
    public static Activity? StartReceiver(string receiver, FlowRoute route, string? key, StateNode? state)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("flow " + route.Canonical);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("synapse.flow.receiver", receiver);
            activity.SetTag("synapse.flow.route", route.Canonical);
            activity.SetTag("synapse.flow.key", key);
            activity.SetTag("synapse.flow.state", state?.ToString());
        }

        return activity;
    }

    /// <summary>Ends a receiver's span with what it did: the event and the states reached, no event, or its failure.</summary>
    public static void Stop(Activity? activity, FlowEvent? flowEvent, IReadOnlyList<StateNode>? reached, Exception? error)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("synapse.flow.event", flowEvent?.ToString());
            activity.SetTag("synapse.flow.reached", reached is null ? null : string.Join(',', reached));
        }

        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.SetTag("error.type", error.GetType().FullName);
        }

        activity.Stop();
    }
}
