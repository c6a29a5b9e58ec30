namespace Synapse.Relay.Configuration;

/// <summary>
/// The three stages of backpressure (<c>backpressure_policy</c>), measured on what a sender has waiting in its
/// recipients' outbound queues (messages and bytes), not on how many recipients a message has. Each stage fires when
/// either its message or its byte threshold is reached.
/// </summary>
public sealed record BackpressurePolicy
{
    /// <summary>Whether throttling is on (<c>enable_throttle</c>).</summary>
    public bool EnableThrottle { get; init; } = true;

    /// <summary>Queued messages at which the sender is throttled (<c>throttle_threshold</c>).</summary>
    public int ThrottleThreshold { get; init; } = 100;

    /// <summary>Queued bytes at which the sender is throttled (<c>throttle_threshold_bytes</c>).</summary>
    public long ThrottleThresholdBytes { get; init; } = 1L << 20;

    /// <summary>Whether flow control is on (<c>enable_flow_control</c>).</summary>
    public bool EnableFlowControl { get; init; } = true;

    /// <summary>Queued messages at which reading from the sender stops until the queues drain (<c>flow_control_threshold</c>).</summary>
    public int FlowControlThreshold { get; init; } = 300;

    /// <summary>Queued bytes at which reading from the sender stops (<c>flow_control_threshold_bytes</c>).</summary>
    public long FlowControlThresholdBytes { get; init; } = 4L << 20;

    /// <summary>Whether disconnection is on (<c>enable_disconnect</c>).</summary>
    public bool EnableDisconnect { get; init; } = true;

    /// <summary>Queued messages at which the sender is disconnected and quarantined (<c>disconnect_threshold</c>).</summary>
    public int DisconnectThreshold { get; init; } = 500;

    /// <summary>Queued bytes at which the sender is disconnected and quarantined (<c>disconnect_threshold_bytes</c>).</summary>
    public long DisconnectThresholdBytes { get; init; } = 16L << 20;

    /// <summary>
    /// How long a sender may keep the relay in flow control (<c>max_flow_control_secs</c>): counted from the moment it
    /// reaches flow control until what it queued drains below the throttle thresholds. A sender that keeps sending
    /// past it is disconnected and quarantined as at the disconnect threshold (when disconnection is on), so a flooder
    /// that stays just under the disconnect threshold cannot hold the stage forever.
    /// </summary>
    public TimeSpan MaxFlowControl { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        const string prefix = "hyper_parameters.backpressure_policy.";
        RelayOptions.Check(ThrottleThreshold > 0, prefix + "throttle_threshold", "must be positive");
        RelayOptions.Check(FlowControlThreshold > 0, prefix + "flow_control_threshold", "must be positive");
        RelayOptions.Check(DisconnectThreshold > 0, prefix + "disconnect_threshold", "must be positive");
        RelayOptions.Check(ThrottleThresholdBytes > 0, prefix + "throttle_threshold_bytes", "must be positive");
        RelayOptions.Check(FlowControlThresholdBytes > 0, prefix + "flow_control_threshold_bytes", "must be positive");
        RelayOptions.Check(DisconnectThresholdBytes > 0, prefix + "disconnect_threshold_bytes", "must be positive");
        RelayOptions.Check(MaxFlowControl > TimeSpan.Zero, prefix + "max_flow_control_secs", "must be positive");
    }
}
