using System.Buffers;
using Synapse.Flows.Graph;
using Synapse.MessagePack;
using Synapse.Signing;

namespace Synapse.Reputation;

/// <summary>
/// The shared form of reputation statements: a canonical MessagePack array of fields followed by a 64-byte
/// Ed25519 signature over <c>domain ‖ fields</c> (the appended form of <see cref="SignatureDomain"/>); the
/// statement's hash is SHA-256 of the same bytes.
/// </summary>
internal static class SignedStatement
{
    /// <summary>The domain of a statement whose stored form (fields and signature) is at most <paramref name="maxEncodedSize"/> bytes.</summary>
    public static SignatureDomain Domain(string context, int maxEncodedSize) => new(context, maxEncodedSize - SignatureDomain.SignatureSize);

    /// <summary>SHA-256 of <c>domain ‖ fields</c>.</summary>
    public static DecisionHash Hash(SignatureDomain domain, ReadOnlySpan<byte> stored) =>
        DecisionHash.FromBytes(domain.Hash(SignatureDomain.BodyOf(stored)));

    /// <summary>Checks the size of a stored statement before it is decoded.</summary>
    public static void CheckSize(int length, SignatureDomain domain, string what)
    {
        int max = domain.MaxBodySize + SignatureDomain.SignatureSize;
        if (length <= SignatureDomain.SignatureSize || length > max)
        {
            throw new ReputationException($"Malformed {what}: {length} bytes ({SignatureDomain.SignatureSize + 1} to {max} allowed).");
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

    /// <summary>Encodes fields with <paramref name="write"/>.</summary>
    public static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>(160);
        write(output);
        return output.WrittenSpan.ToArray();
    }
}
