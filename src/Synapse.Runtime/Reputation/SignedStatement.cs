using System.Buffers;
using System.Security.Cryptography;
using Synapse.Crypto;
using Synapse.Flows.Graph;
using Synapse.Identity;
using Synapse.MessagePack;

namespace Synapse.Reputation;

/// <summary>
/// The shared form of reputation statements: a canonical MessagePack array of fields followed by a 64-byte
/// Ed25519 signature over <c>domain ‖ fields</c>; the statement's hash is SHA-256 of the same bytes.
/// </summary>
internal static class SignedStatement
{
    /// <summary>Signs <paramref name="fields"/> and returns <c>fields ‖ signature</c>.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> fields, AgentIdentity signer)
    {
        var stored = new byte[fields.Length + Ed25519.SignatureSize];
        fields.CopyTo(stored);
        signer.Sign(Signed(domain, fields), stored.AsSpan(fields.Length));
        return stored;
    }

    /// <summary>Whether the last 64 bytes of <paramref name="stored"/> are <paramref name="signer"/>'s signature.</summary>
    public static bool Verify(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> stored, AgentId signer) =>
        signer.Verify(Signed(domain, Fields(stored)), stored[^Ed25519.SignatureSize..]);

    /// <summary>SHA-256 of <c>domain ‖ fields</c>.</summary>
    public static DecisionHash Hash(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> stored) =>
        DecisionHash.FromBytes(SHA256.HashData(Signed(domain, Fields(stored))));

    /// <summary>The fields of a stored statement (everything but the signature).</summary>
    public static ReadOnlySpan<byte> Fields(ReadOnlySpan<byte> stored) => stored[..^Ed25519.SignatureSize];

    /// <summary>Checks the size of a stored statement before it is decoded.</summary>
    public static void CheckSize(int length, int max, string what)
    {
        if (length <= Ed25519.SignatureSize || length > max)
        {
            throw new ReputationException($"Malformed {what}: {length} bytes ({Ed25519.SignatureSize + 1} to {max} allowed).");
        }
    }

    /// <summary>Refuses an encoding that differs from the canonical one.</summary>
    public static void CheckCanonical(ReadOnlySpan<byte> canonical, ReadOnlySpan<byte> fields, string what)
    {
        if (!canonical.SequenceEqual(fields))
        {
            throw new ReputationException($"Malformed {what}: the fields are not in canonical form.");
        }
    }

    /// <summary>Reads a 32-byte bin field.</summary>
    public static byte[] ReadKey(ref MsgPackReader reader, string what)
    {
        byte[] bytes = reader.ReadBinary();
        if (bytes.Length != 32)
        {
            throw new ReputationException($"Malformed statement: the {what} is {bytes.Length} bytes, not 32.");
        }

        return bytes;
    }

    /// <summary>Reads Unix milliseconds.</summary>
    public static DateTimeOffset ReadTime(ref MsgPackReader reader, string what)
    {
        long ms = reader.ReadInt64();
        if (ms < 0 || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw new ReputationException($"Malformed statement: the {what} {ms} ms is out of range.");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    /// <summary>Decodes with <paramref name="read"/>, turning MessagePack errors into <see cref="ReputationException"/>.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> fields, string what, Func<ReadOnlyMemory<byte>, T> read)
    {
        try
        {
            return read(fields);
        }
        catch (MsgPackException e)
        {
            throw new ReputationException($"Malformed {what}: {e.Message}", e);
        }
    }

    private static byte[] Signed(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> fields)
    {
        var signed = new byte[domain.Length + fields.Length];
        domain.CopyTo(signed);
        fields.CopyTo(signed.AsSpan(domain.Length));
        return signed;
    }

    /// <summary>Encodes fields with <paramref name="write"/>.</summary>
    public static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>(160);
        write(output);
        return output.WrittenSpan.ToArray();
    }
}
