using System.Diagnostics;

namespace Synapse.Relay.Client;

/// <summary>
/// Spans of relayed messages, on the <c>ActivitySource</c> named <c>Synapse.Relay</c>, following OpenTelemetry's
/// messaging conventions: a producer span when a message is sent (<c>send {room}</c>, or <c>send direct</c>) and a
/// consumer span around its handlers where it is delivered (<c>process …</c>), the child of the sender's span through
/// the trace context sealed in the payload (<see cref="TracedPayload"/>). With no listener nothing is created.
/// </summary>
internal static class RelayTracing
{
    public const string SourceName = "Synapse.Relay";

    private const string System = "synapse";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A producer span for a message to <paramref name="room"/> (null: a direct message); null when nobody listens.</summary>
    public static Activity? StartSend(string? room) => Start("send", ActivityKind.Producer, room, default);

    /// <summary>A consumer span for handling a delivered message, the child of <paramref name="sender"/>'s span when it carried one.</summary>
    public static Activity? StartProcess(RelayMessage message, ActivityContext sender)
    {
        var activity = Start("process", ActivityKind.Consumer, message.Room, sender);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.message.id", message.MessageId.ToString());
            activity.SetTag("synapse.relay.sender", message.Sender.ToString());
        }

        return activity;
    }

    /// <summary>Names the message a send span sent, and ends it.</summary>
    public static void StopSend(Activity? activity, Guid messageId)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("messaging.message.id", messageId.ToString());
        }

        activity.Stop();
    }

    /// <summary>Ends a span, marked failed when <paramref name="error"/> is set.</summary>
    public static void Stop(Activity? activity, Exception? error = null)
    {
        if (activity is null)
        {
            return;
        }

        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.SetTag("error.type", error.GetType().FullName);
        }

        activity.Stop();
    }

    private static Activity? Start(string operation, ActivityKind kind, string? room, ActivityContext parent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(room is null ? operation + " direct" : operation + " " + room, kind, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", System);
            activity.SetTag("messaging.operation.type", operation);
            activity.SetTag("messaging.operation.name", operation);
            if (room is not null)
            {
                activity.SetTag("messaging.destination.name", room);
            }
        }

        return activity;
    }
}
