namespace Synapse.Relay.Server;

/// <summary>
/// The bytes every link together holds in frames (and Summoner lines) begun but not finished, bounded relay-wide by
/// <see cref="Configuration.RelayOptions.MaxPartialFrameBytes"/>: each link reports what its partial frame holds
/// after each read, and a report that would take the total past the limit is refused (the link is then closed).
/// </summary>
internal sealed class PartialFrameBudget(long limit)
{
    private long _held;

    /// <summary>The bytes held in partial frames now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>
    /// Sets what one link holds from <paramref name="linkHeld"/> to <paramref name="bytes"/>. False, with nothing
    /// changed, when growing would take the total past the limit; shrinking always succeeds.
    /// </summary>
    public bool TryHold(ref long linkHeld, long bytes)
    {
        var growth = bytes - linkHeld;
        if (Interlocked.Add(ref _held, growth) > limit && growth > 0)
        {
            Interlocked.Add(ref _held, -growth);
            return false;
        }

        linkHeld = bytes;
        return true;
    }

    /// <summary>The link holds nothing any more (it closed).</summary>
    public void Release(ref long linkHeld)
    {
        Interlocked.Add(ref _held, -linkHeld);
        linkHeld = 0;
    }
}
