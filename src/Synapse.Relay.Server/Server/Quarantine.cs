using System.Collections.Concurrent;
using System.Net;

namespace Synapse.Relay.Server;

/// <summary>
/// Offenders kept out for a cooldown, by identity (an agent id, whatever address it comes from) and by IP address
/// (whatever port or key it reconnects with). Entries expire on their own; <see cref="Purge"/> drops expired ones.
/// </summary>
internal sealed class Quarantine(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _identities = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _addresses = new();

    /// <summary>How many identities and addresses are quarantined (expired entries included until purged).</summary>
    public int Count => _identities.Count + _addresses.Count;

    /// <summary>Quarantines an identity and, when given, an address until <paramref name="cooldown"/> has passed.</summary>
    public void Add(string? identity, IPAddress? address, TimeSpan cooldown)
    {
        var until = time.GetUtcNow() + cooldown;
        if (identity is not null)
        {
            _identities[identity] = until;
        }

        if (address is not null)
        {
            _addresses[Normalize(address)] = until;
        }
    }

    /// <summary>Whether the address is quarantined now.</summary>
    public bool Contains(IPAddress address) => IsActive(_addresses, Normalize(address));

    /// <summary>Whether the identity is quarantined now.</summary>
    public bool Contains(string identity) => IsActive(_identities, identity);

    /// <summary>Removes expired entries.</summary>
    public void Purge()
    {
        var now = time.GetUtcNow();
        foreach (var (key, until) in _identities)
        {
            if (until <= now)
            {
                _identities.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
            }
        }

        foreach (var (key, until) in _addresses)
        {
            if (until <= now)
            {
                _addresses.TryRemove(new KeyValuePair<IPAddress, DateTimeOffset>(key, until));
            }
        }
    }

    private bool IsActive<TKey>(ConcurrentDictionary<TKey, DateTimeOffset> entries, TKey key)
        where TKey : notnull =>
        entries.TryGetValue(key, out var until) && until > time.GetUtcNow();

    // An IPv4 client seen through a dual-mode socket must match the same client seen directly.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
