using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Synapse.Crypto.Hpke;

/// <summary>
/// The labeled HKDF-SHA256 functions of RFC 9180 §4 (<c>LabeledExtract</c>, <c>LabeledExpand</c>), built on the
/// in-box <see cref="HKDF"/>. The suite id distinguishes the KEM's uses (<c>"KEM" || kem_id</c>) from the
/// key schedule's (<c>"HPKE" || kem_id || kdf_id || aead_id</c>).
/// </summary>
internal static class HpkeKdf
{
    /// <summary>Nh, the output size of HKDF-SHA256's Extract.</summary>
    public const int HashSize = 32;

    /// <summary><c>"KEM" || I2OSP(0x0020, 2)</c>.</summary>
    public static ReadOnlySpan<byte> KemSuiteId => [(byte)'K', (byte)'E', (byte)'M', 0x00, 0x20];

    /// <summary><c>"HPKE" || I2OSP(0x0020, 2) || I2OSP(0x0001, 2) || I2OSP(0x0003, 2)</c>.</summary>
    public static ReadOnlySpan<byte> HpkeSuiteId => [(byte)'H', (byte)'P', (byte)'K', (byte)'E', 0x00, 0x20, 0x00, 0x01, 0x00, 0x03];

    private static ReadOnlySpan<byte> Version => "HPKE-v1"u8;

    private const int StackLimit = 256;

    /// <summary><c>LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm)</c>.</summary>
    public static void LabeledExtract(ReadOnlySpan<byte> suiteId, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> label, ReadOnlySpan<byte> ikm, Span<byte> prk)
    {
        int length = Version.Length + suiteId.Length + label.Length + ikm.Length;
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        buffer = buffer[..length];
        try
        {
            int offset = Append(buffer, 0, Version);
            offset = Append(buffer, offset, suiteId);
            offset = Append(buffer, offset, label);
            Append(buffer, offset, ikm);
            HKDF.Extract(HashAlgorithmName.SHA256, buffer, salt, prk[..HashSize]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// <c>LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L)</c>,
    /// with L the length of <paramref name="output"/> (at most 255 × Nh).
    /// </summary>
    public static void LabeledExpand(ReadOnlySpan<byte> suiteId, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> label, ReadOnlySpan<byte> info, Span<byte> output)
    {
        int length = 2 + Version.Length + suiteId.Length + label.Length + info.Length;
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        buffer = buffer[..length];
        try
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer, checked((ushort)output.Length));
            int offset = Append(buffer, 2, Version);
            offset = Append(buffer, offset, suiteId);
            offset = Append(buffer, offset, label);
            Append(buffer, offset, info);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, output, buffer);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int Append(Span<byte> buffer, int offset, ReadOnlySpan<byte> value)
    {
        value.CopyTo(buffer[offset..]);
        return offset + value.Length;
    }
}
