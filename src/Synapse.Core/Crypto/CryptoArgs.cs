namespace Synapse.Crypto;

/// <summary>Argument checks shared by the crypto primitives.</summary>
internal static class CryptoArgs
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="span"/> is exactly <paramref name="length"/> bytes.</summary>
    public static void RequireLength(ReadOnlySpan<byte> span, int length, string name)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"Must be exactly {length} bytes, not {span.Length}.", name);
        }
    }
}
