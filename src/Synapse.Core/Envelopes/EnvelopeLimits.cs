namespace Synapse.Envelopes;

/// <summary>Size limits for sealed envelopes, checked before anything is allocated for them.</summary>
public sealed class EnvelopeLimits
{
    /// <summary>The envelope bytes around the payload: fields, keys, tag and signature, with room to spare.</summary>
    internal const int Overhead = 1024;

    private readonly int _maxPayloadSize = 1024 * 1024;

    /// <summary>The default limits: payloads up to 1 MiB.</summary>
    public static EnvelopeLimits Default { get; } = new();

    /// <summary>
    /// The largest plaintext payload, in bytes (default 1 MiB). An encoded envelope may be at most
    /// <see cref="MaxEncodedSize"/> bytes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above 1 GiB.</exception>
    public int MaxPayloadSize
    {
        get => _maxPayloadSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1 << 30);
            _maxPayloadSize = value;
        }
    }

    /// <summary>The largest encoded envelope: <see cref="MaxPayloadSize"/> plus a fixed allowance for the other fields.</summary>
    public int MaxEncodedSize => MaxPayloadSize + Overhead;
}
