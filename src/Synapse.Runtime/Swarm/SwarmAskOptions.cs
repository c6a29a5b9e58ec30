using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>How <see cref="SwarmNode.AskAsync"/> asks the swarm: which peers, with what context, for how long.</summary>
public sealed class SwarmAskOptions
{
    /// <summary>How long to wait for the replies; the peers still silent then are reported as timed out.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent as the <c>context</c> keyword of <c>synapse.ask</c> (typically a map); omitted when <c>null</c>.</summary>
    public MsgPackValue? Context { get; set; }

    /// <summary>
    /// Only peers whose Peer map lists every one of these capabilities are asked (a local choice of targets; the wire
    /// has no filter). Empty asks every known peer.
    /// </summary>
    public IList<string> RequiredCapabilities { get; } = [];

    /// <summary>The most peers asked; when more qualify, the ones heard from most recently are asked.</summary>
    public int MaxPeers { get; set; } = 64;

    /// <summary>
    /// Told of each step as it happens: every peer asked, then each ack, reply, failure and unreachable verdict, once
    /// each (an unreachable peer may still reply or fail later). <see cref="IProgress{T}.Report"/> is called on the
    /// thread that received the event, so it should be short and must not block; what it throws is logged and ignored.
    /// <c>null</c> (the default) reports nothing.
    /// </summary>
    public IProgress<SwarmAskUpdate>? Progress { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Timeout, TimeSpan.FromMilliseconds(int.MaxValue), nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPeers, 1, nameof(MaxPeers));
    }
}
