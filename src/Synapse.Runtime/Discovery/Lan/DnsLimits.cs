namespace Synapse.Discovery.Lan;

/// <summary>The limits the codec enforces on untrusted input.</summary>
internal static class DnsLimits
{
    /// <summary>The largest mDNS message (RFC 6762 §17: 9000 bytes).</summary>
    public const int MaxMessage = 9000;

    /// <summary>The longest name on the wire, length octets included (RFC 1035 §2.3.4).</summary>
    public const int MaxName = 255;

    /// <summary>The longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabel = 63;

    /// <summary>The most compression pointers followed in one name.</summary>
    public const int MaxPointers = 32;

    /// <summary>The most questions plus records in one message.</summary>
    public const int MaxEntries = 256;
}
