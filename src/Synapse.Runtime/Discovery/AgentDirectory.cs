using Synapse.Identity;

namespace Synapse.Discovery;

/// <summary>What <see cref="AgentDirectory.Publish"/> did with a card.</summary>
public enum PublishStatus
{
    /// <summary>The directory did not hold a card of this agent; now it does.</summary>
    Accepted,

    /// <summary>The card replaced an older one of the same agent.</summary>
    Replaced,

    /// <summary>The directory already held this very card.</summary>
    Unchanged,

    /// <summary>The card was refused; <see cref="PublishResult.Refusal"/> says why.</summary>
    Refused,
}

/// <summary>Why a directory refused a card.</summary>
public enum CardRefusal
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>The signature is not the agent's, or the encryption key is someone else's.</summary>
    Forged,

    /// <summary>The card has expired.</summary>
    Expired,

    /// <summary>The card is issued in the future.</summary>
    NotYetValid,

    /// <summary>The directory holds a card of the agent issued later (or a different one issued at the same time).</summary>
    Stale,

    /// <summary>The card is larger than <see cref="AgentDirectoryOptions.MaxCardSize"/>.</summary>
    TooLarge,

    /// <summary>The directory holds <see cref="AgentDirectoryOptions.MaxCards"/> live cards of other agents.</summary>
    Full,
}

/// <summary>The outcome of publishing a card.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Refusal">Why it was refused (<see cref="CardRefusal.None"/> unless <see cref="PublishStatus.Refused"/>).</param>
/// <param name="Message">Words for people.</param>
public readonly record struct PublishResult(PublishStatus Status, CardRefusal Refusal, string Message)
{
    /// <summary>Whether the directory now holds the card.</summary>
    public bool IsStored => Status != PublishStatus.Refused;

    /// <summary>The machine-readable code a relay answers a refusal with, e.g. <c>forged_card</c>.</summary>
    public string Code => Refusal switch
    {
        CardRefusal.None => "ok",
        CardRefusal.Forged => "forged_card",
        CardRefusal.Expired => "expired_card",
        CardRefusal.NotYetValid => "card_not_yet_valid",
        CardRefusal.Stale => "stale_card",
        CardRefusal.TooLarge => "card_too_large",
        _ => "directory_full",
    };
}

/// <summary>The bounds of an <see cref="AgentDirectory"/>.</summary>
public sealed record AgentDirectoryOptions
{
    /// <summary>The most cards held (one per agent).</summary>
    public int MaxCards { get; init; } = 10_000;

    /// <summary>The largest encoded card accepted, in bytes.</summary>
    public int MaxCardSize { get; init; } = 16 * 1024;

    /// <summary>How far an agent's clock may be ahead of the directory's.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// An in-memory directory of live agent cards, one per agent, as a relay keeps it: a card is verified before it is
/// stored, replaced only by a card of the same agent issued later, and forgotten when it expires. Bounded by
/// <see cref="AgentDirectoryOptions"/> and thread-safe.
/// </summary>
public sealed class AgentDirectory
{
    private readonly SortedDictionary<AgentId, AgentCard> _cards = new(AgentIdOrder.Instance);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty directory.</summary>
    /// <param name="options">The bounds (defaults when null).</param>
    /// <param name="time">The clock (tests use a fake one).</param>
    public AgentDirectory(AgentDirectoryOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new AgentDirectoryOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxCards);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxCardSize);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The bounds.</summary>
    public AgentDirectoryOptions Options { get; }

    /// <summary>How many cards the directory holds (expired ones included until <see cref="PurgeExpired"/>).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _cards.Count;
            }
        }
    }

    /// <summary>Verifies a card and stores it, unless it is refused.</summary>
    /// <param name="card">The card.</param>
    /// <returns>What happened.</returns>
    public PublishResult Publish(AgentCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Encoded.Length > Options.MaxCardSize)
        {
            return Refuse(CardRefusal.TooLarge, $"The card is {card.Encoded.Length} bytes; this directory takes at most {Options.MaxCardSize}.");
        }

        DateTimeOffset now = _time.GetUtcNow();
        try
        {
            card.Verify(now, Options.ClockSkew);
        }
        catch (AgentCardException ex)
        {
            return Refuse(
                ex.Reason switch
                {
                    AgentCardError.Expired => CardRefusal.Expired,
                    AgentCardError.NotYetValid => CardRefusal.NotYetValid,
                    _ => CardRefusal.Forged,
                },
                ex.Message);
        }

        lock (_lock)
        {
            if (_cards.TryGetValue(card.Agent, out AgentCard? stored))
            {
                if (card.Encoded.Span.SequenceEqual(stored.Encoded.Span))
                {
                    return new PublishResult(PublishStatus.Unchanged, CardRefusal.None, "The directory already holds this card.");
                }

                if (card.IssuedAt <= stored.IssuedAt)
                {
                    return Refuse(CardRefusal.Stale, $"The directory holds a card of {card.Agent} issued at {stored.IssuedAt:O}, not before this one's {card.IssuedAt:O}.");
                }

                _cards[card.Agent] = card;
                return new PublishResult(PublishStatus.Replaced, CardRefusal.None, "The card replaced an older one.");
            }

            if (_cards.Count >= Options.MaxCards && PurgeExpiredLocked(now) == 0)
            {
                return Refuse(CardRefusal.Full, $"The directory holds {_cards.Count} cards, its limit.");
            }

            _cards.Add(card.Agent, card);
            return new PublishResult(PublishStatus.Accepted, CardRefusal.None, "The card was stored.");
        }
    }

    /// <summary>The live card of <paramref name="agent"/>, or null.</summary>
    /// <param name="agent">The agent.</param>
    /// <returns>The card, when held and not expired.</returns>
    public AgentCard? Get(AgentId agent)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            return _cards.TryGetValue(agent, out AgentCard? card) && !card.IsExpiredAt(now) ? card : null;
        }
    }

    /// <summary>A snapshot of the live cards, ordered by agent id.</summary>
    /// <returns>The cards not expired now.</returns>
    public IReadOnlyList<AgentCard> LiveCards()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            return [.. _cards.Values.Where(card => !card.IsExpiredAt(now))];
        }
    }

    /// <summary>Forgets the cards that have expired.</summary>
    /// <returns>How many were forgotten.</returns>
    public int PurgeExpired()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            return PurgeExpiredLocked(now);
        }
    }

    /// <summary>One page of the live cards that match <paramref name="query"/>, ordered by agent id.</summary>
    /// <param name="query">The criteria and the page.</param>
    /// <param name="maxPageBytes">A bound on the encoded cards of one page (at least one card is always returned
    /// when one matches), so a page fits in one frame.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">The query is invalid (see <see cref="AgentQuery.Validate"/>).</exception>
    public AgentPage Query(AgentQuery query, int maxPageBytes = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        AgentId after = AgentQuery.DecodeToken(query.PageToken);
        int pageSize = query.EffectivePageSize;
        DateTimeOffset now = _time.GetUtcNow();
        var page = new List<AgentCard>(Math.Min(pageSize, 16));
        long bytes = 0;
        lock (_lock)
        {
            foreach ((AgentId agent, AgentCard card) in _cards)
            {
                if ((!after.IsDefault && AgentIdOrder.Instance.Compare(agent, after) <= 0) || card.IsExpiredAt(now) || !query.Matches(card))
                {
                    continue;
                }

                if (page.Count == pageSize || (page.Count > 0 && bytes + card.Encoded.Length > maxPageBytes))
                {
                    return new AgentPage(page, AgentQuery.EncodeToken(page[^1].Agent));
                }

                page.Add(card);
                bytes += card.Encoded.Length;
            }
        }

        return new AgentPage(page, null);
    }

    private int PurgeExpiredLocked(DateTimeOffset now)
    {
        List<AgentId>? expired = null;
        foreach ((AgentId agent, AgentCard card) in _cards)
        {
            if (card.IsExpiredAt(now))
            {
                (expired ??= []).Add(agent);
            }
        }

        foreach (AgentId agent in expired ?? [])
        {
            _cards.Remove(agent);
        }

        return expired?.Count ?? 0;
    }

    private static PublishResult Refuse(CardRefusal refusal, string message) => new(PublishStatus.Refused, refusal, message);

    /// <summary>Orders ids by their key bytes: the stable order of pages.</summary>
    private sealed class AgentIdOrder : IComparer<AgentId>
    {
        public static readonly AgentIdOrder Instance = new();

        public int Compare(AgentId x, AgentId y) => x.PublicKey.SequenceCompareTo(y.PublicKey);
    }
}
