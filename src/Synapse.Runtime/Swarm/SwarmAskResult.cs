using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>How an asked peer's part of a swarm ask ended.</summary>
public enum SwarmAskOutcome
{
    /// <summary>It sent <c>_synapse.broadcast.reply</c> with a result.</summary>
    Replied,

    /// <summary>Its task failed (an <c>error</c> conversation event) or its reply was larger than allowed.</summary>
    Failed,

    /// <summary>The <c>synapse.ask</c> call to it failed (refused, unreachable, error answer) and nothing came later.</summary>
    Unreachable,

    /// <summary>Nothing final arrived from it before the ask's timeout.</summary>
    TimedOut,
}

/// <summary>One asked peer's part of a swarm ask.</summary>
/// <param name="Peer">The peer, as it was when asked.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Acknowledged">Whether its <c>ack</c> conversation event arrived.</param>
/// <param name="Result">The reply's <c>result</c> when <see cref="Outcome"/> is <see cref="SwarmAskOutcome.Replied"/>.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record SwarmAskAnswer(SwarmPeer Peer, SwarmAskOutcome Outcome, bool Acknowledged, MsgPackValue? Result, string? Error);

/// <summary>What a swarm ask collected: one answer per asked peer, in the order they were asked.</summary>
/// <param name="Nonce">The broadcast's nonce, which is also the conversation's id.</param>
/// <param name="Answers">One per asked peer.</param>
public sealed record SwarmAskResult(string Nonce, IReadOnlyList<SwarmAskAnswer> Answers)
{
    /// <summary>The answers that carry a result.</summary>
    public IReadOnlyList<SwarmAskAnswer> Replies => [.. Answers.Where(a => a.Outcome == SwarmAskOutcome.Replied)];

    /// <summary>The asked peers that stayed silent until the timeout.</summary>
    public IReadOnlyList<SwarmPeer> TimedOut => [.. Answers.Where(a => a.Outcome == SwarmAskOutcome.TimedOut).Select(a => a.Peer)];

    /// <summary>Whether every asked peer's part ended before the timeout.</summary>
    public bool IsComplete => Answers.All(a => a.Outcome != SwarmAskOutcome.TimedOut);
}
