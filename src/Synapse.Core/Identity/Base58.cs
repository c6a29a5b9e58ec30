namespace Synapse.Identity;

/// <summary>
/// Base58 with the Bitcoin alphabet (multibase <c>base58btc</c>). Quadratic in the length, which is fine for
/// the short keys it encodes; callers bound the input length before decoding.
/// </summary>
internal static class Base58
{
    /// <summary>The alphabet: digits and letters without 0, O, I and l.</summary>
    public const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private static readonly sbyte[] Digits = BuildDigits();

    /// <summary>Encodes bytes; each leading zero byte becomes a leading '1'.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        int zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }

        // log(256) / log(58) < 1.37: enough base-58 digits for the rest.
        int capacity = ((data.Length - zeros) * 137 / 100) + 1;
        Span<byte> digits = capacity <= 256 ? stackalloc byte[capacity] : new byte[capacity];
        int used = 0;
        for (int i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            for (int j = 0; j < used; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }

            while (carry > 0)
            {
                digits[used++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        return Build(zeros, digits[..used]);
    }

    /// <summary>
    /// Decodes base58 text. On an invalid character returns <see langword="false"/> with its index in
    /// <paramref name="text"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes, out int invalidIndex)
    {
        int zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }

        // log(58) / log(256) < 0.733: enough bytes for the rest.
        int capacity = ((text.Length - zeros) * 733 / 1000) + 1;
        Span<byte> value = capacity <= 256 ? stackalloc byte[capacity] : new byte[capacity];
        int used = 0;
        for (int i = zeros; i < text.Length; i++)
        {
            char c = text[i];
            int digit = c < 128 ? Digits[c] : -1;
            if (digit < 0)
            {
                bytes = [];
                invalidIndex = i;
                return false;
            }

            int carry = digit;
            for (int j = 0; j < used; j++)
            {
                carry += value[j] * 58;
                value[j] = (byte)(carry & 0xff);
                carry >>= 8;
            }

            while (carry > 0)
            {
                value[used++] = (byte)(carry & 0xff);
                carry >>= 8;
            }
        }

        bytes = new byte[zeros + used];
        for (int i = 0; i < used; i++)
        {
            bytes[zeros + i] = value[used - 1 - i];
        }

        invalidIndex = -1;
        return true;
    }

    private static string Build(int zeros, ReadOnlySpan<byte> littleEndianDigits)
    {
        Span<char> chars = zeros + littleEndianDigits.Length <= 512
            ? stackalloc char[zeros + littleEndianDigits.Length]
            : new char[zeros + littleEndianDigits.Length];
        chars[..zeros].Fill('1');
        for (int i = 0; i < littleEndianDigits.Length; i++)
        {
            chars[zeros + i] = Alphabet[littleEndianDigits[littleEndianDigits.Length - 1 - i]];
        }

        return new string(chars);
    }

    private static sbyte[] BuildDigits()
    {
        var digits = new sbyte[128];
        digits.AsSpan().Fill(-1);
        for (int i = 0; i < Alphabet.Length; i++)
        {
            digits[Alphabet[i]] = (sbyte)i;
        }

        return digits;
    }
}
