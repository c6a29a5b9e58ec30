using System.Net;
using System.Text;

namespace Synapse.Discovery.Lan;

/// <summary>
/// Maps a <see cref="LanAnnouncement"/> to and from the DNS-SD records of synapse-p2p's mDNS service (spec §1.8):
/// PTR <c>_synapse._tcp.local.</c> → instance <c>"&lt;name-or-id8 sanitized&gt;-&lt;id[:8]&gt;._synapse._tcp.local."</c>,
/// SRV port and host, TXT <c>id, name, kind, swarm, team, host, capabilities</c>, and A address.
/// </summary>
internal static class LanRecords
{
    /// <summary>The DNS-SD service type.</summary>
    public const string ServiceType = "_synapse._tcp.local.";

    /// <summary>The longest sanitized name prefix: with "-" and 8 id characters the label stays within 63 bytes.</summary>
    public const int MaxNamePrefix = DnsLimits.MaxLabel - 9;

    /// <summary>The instance name of <paramref name="announcement"/>.</summary>
    public static string InstanceName(LanAnnouncement announcement)
    {
        string id8 = Id8(announcement.Id);
        string prefix = Sanitize(string.IsNullOrEmpty(announcement.Name) ? id8 : announcement.Name);
        if (prefix.Length == 0)
        {
            prefix = Sanitize(id8);
        }

        return $"{prefix}-{Sanitize(id8)}.{ServiceType}";
    }

    /// <summary>
    /// The spec does not say how names are sanitized; Synapse keeps ASCII letters, digits, '-' and '_', turns every
    /// other character into '-', trims '-' at both ends and cuts the result to <see cref="MaxNamePrefix"/> characters.
    /// </summary>
    public static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        string clean = builder.ToString().Trim('-');
        return clean.Length > MaxNamePrefix ? clean[..MaxNamePrefix].TrimEnd('-') : clean;
    }

    /// <summary>The host name SRV and A records use: the sanitized host under <c>local.</c>.</summary>
    public static string HostTarget(string host)
    {
        string label = Sanitize(host);
        return (label.Length == 0 ? "synapse" : label) + ".local.";
    }

    /// <summary>The PTR, SRV, TXT and A records announcing <paramref name="announcement"/>.</summary>
    public static DnsRecord[] ToRecords(LanAnnouncement announcement, string ownHost, uint ttl)
    {
        string instance = InstanceName(announcement);
        string host = announcement.Host ?? ownHost;
        string target = HostTarget(host);
        var txt = new (string Key, string? Value)[]
        {
            ("id", announcement.Id),
            ("name", announcement.Name),
            ("kind", announcement.Kind),
            ("swarm", announcement.Swarm),
            ("team", announcement.Team),
            ("host", host),
            ("capabilities", string.Join(',', announcement.Capabilities)),
        };
        return
        [
            new DnsPtrRecord(ServiceType, ttl, instance),
            new DnsSrvRecord(instance, ttl, 0, 0, checked((ushort)announcement.Port), target) { CacheFlush = true },
            new DnsTxtRecord(instance, ttl, [.. txt.Select(p => Encoding.UTF8.GetBytes($"{p.Key}={p.Value}"))])
            {
                CacheFlush = true,
            },
            new DnsAddressRecord(target, ttl, IPAddress.Parse(announcement.Address)) { CacheFlush = true },
        ];
    }

    /// <summary>
    /// The peers a response announces: every PTR of <see cref="ServiceType"/> whose instance has an SRV and a TXT
    /// with an <c>id</c>. The address is the A record of the SRV host, else <paramref name="sender"/>; a peer whose
    /// TXT <c>host</c> equals <paramref name="ownHost"/> is on this machine and is dialled at 127.0.0.1. Each peer
    /// comes with the TTL of the records it was built from (<see cref="PeerTtl"/>); one whose TTL is 0 is skipped.
    /// </summary>
    public static List<LanHeard> FromMessage(DnsMessage message, string ownHost, IPAddress? sender)
    {
        var found = new List<LanHeard>();
        var records = message.AllRecords.ToList();
        foreach (var ptr in records.OfType<DnsPtrRecord>().Where(p => NameEquals(p.Name, ServiceType)))
        {
            var srv = records.OfType<DnsSrvRecord>().FirstOrDefault(r => NameEquals(r.Name, ptr.Target));
            var txt = records.OfType<DnsTxtRecord>().FirstOrDefault(r => NameEquals(r.Name, ptr.Target));
            if (srv is null || txt is null || ptr.Ttl == 0)
            {
                continue; // incomplete, or a goodbye (TTL 0, RFC 6762 §10.1)
            }

            var values = ParseTxt(txt);
            if (!values.TryGetValue("id", out var id) || string.IsNullOrEmpty(id))
            {
                continue;
            }

            var a = records.OfType<DnsAddressRecord>()
                .FirstOrDefault(r => NameEquals(r.Name, srv.Target) && r.Type == DnsRecordType.A && r.Ttl > 0); // not the old address's goodbye
            var address = a?.Address ?? sender;
            values.TryGetValue("host", out var host);
            bool local = host is not null && string.Equals(host, ownHost, StringComparison.Ordinal);
            if (address is null && !local)
            {
                continue; // nowhere to reach it
            }

            uint ttl = PeerTtl(ptr, srv, txt, local ? null : a);
            if (ttl == 0)
            {
                continue; // one of its records says goodbye: nothing to remember
            }

            var peer = new LanAnnouncement(id, local ? "127.0.0.1" : address!.ToString(), srv.Port)
            {
                Name = NullIfEmpty(values.GetValueOrDefault("name")),
                Kind = NullIfEmpty(values.GetValueOrDefault("kind")) ?? "node",
                Swarm = NullIfEmpty(values.GetValueOrDefault("swarm")),
                Team = NullIfEmpty(values.GetValueOrDefault("team")),
                Host = host,
                Capabilities = values.GetValueOrDefault("capabilities") is { Length: > 0 } caps ? caps.Split(',') : [],
            };
            found.Add(new LanHeard(peer, TimeSpan.FromSeconds(ttl)));
        }

        return found;
    }

    /// <summary>
    /// How long a peer may be remembered: the smallest TTL of the records it needs, the PTR (it is listed), the SRV
    /// (its port), the TXT (its id) and the A record when the address comes from it. Each record expires on its own
    /// (RFC 6762 §10); once any of these has, the peer can no longer be listed, identified or dialled.
    /// </summary>
    public static uint PeerTtl(DnsPtrRecord ptr, DnsSrvRecord srv, DnsTxtRecord txt, DnsAddressRecord? a) =>
        Math.Min(MaxTtl, Math.Min(Math.Min(ptr.Ttl, srv.Ttl), Math.Min(txt.Ttl, a?.Ttl ?? uint.MaxValue)));

    /// <summary>The longest a peer is remembered without being heard from again: 75 minutes, the longest TTL RFC 6762
    /// §10 recommends, whatever a record claims.</summary>
    public const uint MaxTtl = 4500;

    /// <summary>The ids of peers saying goodbye: a PTR of <see cref="ServiceType"/> with TTL 0 whose TXT has an id.</summary>
    public static IEnumerable<string> Goodbyes(DnsMessage message)
    {
        var records = message.AllRecords.ToList();
        foreach (var ptr in records.OfType<DnsPtrRecord>().Where(p => p.Ttl == 0 && NameEquals(p.Name, ServiceType)))
        {
            var txt = records.OfType<DnsTxtRecord>().FirstOrDefault(r => NameEquals(r.Name, ptr.Target));
            if (txt is not null && ParseTxt(txt).TryGetValue("id", out var id) && !string.IsNullOrEmpty(id))
            {
                yield return id;
            }
        }
    }

    /// <summary>TXT <c>key=value</c> strings; keys compare case-insensitively (RFC 6763 §6.4), the first wins.</summary>
    public static Dictionary<string, string?> ParseTxt(DnsTxtRecord txt)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var bytes in txt.Strings)
        {
            string entry = Encoding.UTF8.GetString(bytes);
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? entry : entry[..equals];
            if (key.Length > 0)
            {
                values.TryAdd(key, equals < 0 ? null : entry[(equals + 1)..]);
            }
        }

        return values;
    }

    private static string Id8(string id) => id.Length > 8 ? id[..8] : id;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool NameEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
