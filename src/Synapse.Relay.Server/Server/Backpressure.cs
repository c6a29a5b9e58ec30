using Synapse.Relay.Configuration;

namespace Synapse.Relay.Server;

/// <summary>The escalating responses to a sender whose messages pile up in recipients' queues.</summary>
internal enum BackpressureStage
{
    None,
    Throttle,
    FlowControl,
    Disconnect,
}

/// <summary>Maps what a link has queued at its recipients (messages and bytes) to a stage of the policy.</summary>
internal static class Backpressure
{
    public static BackpressureStage StageOf(RelayLink link, BackpressurePolicy policy)
    {
        var messages = link.ContributedMessages;
        var bytes = link.ContributedBytes;
        if (policy.EnableDisconnect && (messages >= policy.DisconnectThreshold || bytes >= policy.DisconnectThresholdBytes))
        {
            return BackpressureStage.Disconnect;
        }

        if (policy.EnableFlowControl && (messages >= policy.FlowControlThreshold || bytes >= policy.FlowControlThresholdBytes))
        {
            return BackpressureStage.FlowControl;
        }

        if (policy.EnableThrottle && (messages >= policy.ThrottleThreshold || bytes >= policy.ThrottleThresholdBytes))
        {
            return BackpressureStage.Throttle;
        }

        return BackpressureStage.None;
    }
}
