namespace Synapse.Transport.Framing;

/// <summary>
/// The bytes all connections of a server together hold in frames begun but not finished, bounded server-wide: each
/// connection reports what its partial frame holds after each read, and a report that would take the total past the
/// limit is refused (the server then closes that connection). With <see cref="FrameDeadlines"/>, what a peer can pin
/// is bounded in size (the frame limit), in time (the frame deadline) and, here, in total over all peers. The relay
/// and the RPC host each keep one. Thread-safe.
/// </summary>
public sealed class PartialFrameBudget
{
    private readonly long _limit;
    private long _held;

    /// <summary>Creates a budget of <paramref name="limit"/> bytes.</summary>
    /// <param name="limit">The most bytes all connections together may hold in partial frames.</param>
    public PartialFrameBudget(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _limit = limit;
    }

    /// <summary>The bytes held in partial frames now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>
    /// Sets what one connection holds from <paramref name="connectionHeld"/> to <paramref name="bytes"/>. False, with
    /// nothing changed, when growing would take the total past the limit; shrinking always succeeds.
    /// </summary>
    /// <param name="connectionHeld">What the connection held until now; updated on success.</param>
    /// <param name="bytes">What it holds now.</param>
    /// <returns>Whether the budget allows it.</returns>
    public bool TryHold(ref long connectionHeld, long bytes)
    {
        var growth = bytes - connectionHeld;
        if (Interlocked.Add(ref _held, growth) > _limit && growth > 0)
        {
            Interlocked.Add(ref _held, -growth);
            return false;
        }

        connectionHeld = bytes;
        return true;
    }

    /// <summary>The connection holds nothing any more (it closed).</summary>
    /// <param name="connectionHeld">What it held; set to zero.</param>
    public void Release(ref long connectionHeld)
    {
        Interlocked.Add(ref _held, -connectionHeld);
        connectionHeld = 0;
    }
}
