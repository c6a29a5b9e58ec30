using System.Net;

namespace Synapse.Discovery.Lan;

/// <summary>The DNS record types the mDNS codec understands (RFC 1035, 2782, 3596, 6763).</summary>
internal enum DnsRecordType : ushort
{
    A = 1,
    Ptr = 12,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Any = 255,
}

/// <summary>A question: a name and the record type asked for (class IN).</summary>
/// <param name="Name">The name asked about, dot-separated, ending in a dot.</param>
/// <param name="Type">The record type asked for.</param>
/// <param name="UnicastResponse">The mDNS "QU" bit (top bit of the class).</param>
internal sealed record DnsQuestion(string Name, DnsRecordType Type, bool UnicastResponse = false);

/// <summary>A resource record of class IN; subclasses carry the data.</summary>
/// <param name="Name">The owner name, dot-separated, ending in a dot.</param>
/// <param name="Ttl">Seconds the record may be cached.</param>
internal abstract record DnsRecord(string Name, uint Ttl)
{
    /// <summary>The record type on the wire.</summary>
    public abstract DnsRecordType Type { get; }

    /// <summary>The mDNS cache-flush bit (top bit of the class).</summary>
    public bool CacheFlush { get; init; }
}

/// <summary>PTR: <paramref name="Target"/> is an instance of the service <see cref="DnsRecord.Name"/>.</summary>
internal sealed record DnsPtrRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, Ttl)
{
    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.Ptr;
}

/// <summary>SRV: the instance is served on <paramref name="Target"/>:<paramref name="Port"/>.</summary>
internal sealed record DnsSrvRecord(string Name, uint Ttl, ushort Priority, ushort Weight, ushort Port, string Target)
    : DnsRecord(Name, Ttl)
{
    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.Srv;
}

/// <summary>TXT: character strings, each at most 255 bytes (DNS-SD uses <c>key=value</c>).</summary>
internal sealed record DnsTxtRecord(string Name, uint Ttl, IReadOnlyList<byte[]> Strings) : DnsRecord(Name, Ttl)
{
    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.Txt;
}

/// <summary>A or AAAA: the host <see cref="DnsRecord.Name"/> has <paramref name="Address"/>.</summary>
internal sealed record DnsAddressRecord(string Name, uint Ttl, IPAddress Address) : DnsRecord(Name, Ttl)
{
    /// <inheritdoc/>
    public override DnsRecordType Type =>
        Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A;
}

/// <summary>A record of a type the codec does not interpret; its data is kept as read.</summary>
internal sealed record DnsUnknownRecord(string Name, uint Ttl, ushort RawType, byte[] Data) : DnsRecord(Name, Ttl)
{
    /// <inheritdoc/>
    public override DnsRecordType Type => (DnsRecordType)RawType;
}

/// <summary>A DNS message: header id and flags, questions, and answer, authority and additional records.</summary>
internal sealed record DnsMessage(ushort Id, ushort Flags)
{
    /// <summary>The QR bit with AA: an authoritative mDNS response (RFC 6762 §18).</summary>
    public const ushort ResponseFlags = 0x8400;

    /// <summary>The questions.</summary>
    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];

    /// <summary>The answer records.</summary>
    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];

    /// <summary>The authority records.</summary>
    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];

    /// <summary>The additional records.</summary>
    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];

    /// <summary>Whether the QR bit marks this message as a response.</summary>
    public bool IsResponse => (Flags & 0x8000) != 0;

    /// <summary>Every record of the answer, authority and additional sections.</summary>
    public IEnumerable<DnsRecord> AllRecords => Answers.Concat(Authorities).Concat(Additionals);
}

/// <summary>A DNS message was malformed, truncated, hostile or over a limit.</summary>
internal sealed class DnsFormatException(string message) : Exception(message);
