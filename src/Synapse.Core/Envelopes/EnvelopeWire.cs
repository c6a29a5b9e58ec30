using System.Buffers;
using System.Text;
using Synapse.Identity;
using Synapse.MessagePack;

namespace Synapse.Envelopes;

/// <summary>Shared MessagePack helpers for envelopes and key certificates.</summary>
internal static class EnvelopeWire
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes an agent as its 32-byte key (bin), a topic as its name (str).</summary>
    public static void WriteRecipient(ref MsgPackWriter writer, Recipient recipient)
    {
        switch (recipient.Kind)
        {
            case RecipientKind.Agent:
                writer.WriteBinary(recipient.Agent.PublicKey);
                break;
            case RecipientKind.Topic:
                writer.WriteString(recipient.Topic);
                break;
            default:
                throw new ArgumentException("The recipient is empty.", nameof(recipient));
        }
    }

    /// <summary>Reads what <see cref="WriteRecipient"/> wrote, checking the topic limits before decoding it.</summary>
    public static Recipient ReadRecipient(ref MsgPackReader reader, string what)
    {
        switch (reader.NextType)
        {
            case MsgPackType.Binary:
                return Recipient.ForAgent(ReadAgent(ref reader, what));
            case MsgPackType.String:
                ReadOnlySequence<byte> utf8 = reader.ReadStringSequence();
                if (utf8.Length is 0 or > Recipient.MaxTopicLength)
                {
                    throw Malformed($"the {what} topic is {utf8.Length} bytes (1 to {Recipient.MaxTopicLength} allowed).");
                }

                string topic = StrictUtf8.GetString(utf8);
                if (!Recipient.TryValidateTopic(topic, out string? error))
                {
                    throw Malformed($"the {what} topic is invalid: {error}");
                }

                return Recipient.ForTopic(topic);
            default:
                throw Malformed($"the {what} is neither an agent key nor a topic.");
        }
    }

    /// <summary>Reads a 32-byte Ed25519 public key (bin) as an agent id.</summary>
    public static AgentId ReadAgent(ref MsgPackReader reader, string what)
    {
        ReadOnlySequence<byte> key = reader.ReadBinarySequence();
        if (key.Length != Crypto.Ed25519.PublicKeySize)
        {
            throw Malformed($"the {what} key is {key.Length} bytes, not {Crypto.Ed25519.PublicKeySize}.");
        }

        Span<byte> bytes = stackalloc byte[Crypto.Ed25519.PublicKeySize];
        key.CopyTo(bytes);
        return AgentId.FromPublicKey(bytes);
    }

    /// <summary>Reads a bin of exactly <paramref name="size"/> bytes and returns its offset in the reader's input.</summary>
    public static int ReadFixedBinary(ref MsgPackReader reader, int size, string what)
    {
        ReadOnlySequence<byte> bytes = reader.ReadBinarySequence();
        if (bytes.Length != size)
        {
            throw Malformed($"the {what} is {bytes.Length} bytes, not {size}.");
        }

        return checked((int)(reader.Consumed - size));
    }

    /// <summary>Reads a bin and returns its offset and length in the reader's input.</summary>
    public static (int Offset, int Length) ReadBinary(ref MsgPackReader reader)
    {
        ReadOnlySequence<byte> bytes = reader.ReadBinarySequence();
        int length = checked((int)bytes.Length);
        return (checked((int)reader.Consumed - length), length);
    }

    /// <summary>Reads the format version (a small non-negative integer) and requires <paramref name="expected"/>.</summary>
    public static void ReadVersion(ref MsgPackReader reader, int expected, string what)
    {
        if (reader.NextType != MsgPackType.Integer)
        {
            throw Malformed($"the {what} does not start with a version number.");
        }

        long version = reader.ReadInt64();
        if (version != expected)
        {
            throw Malformed($"{what} version {version} is not supported (expected {expected}).");
        }
    }

    /// <summary>Reads Unix milliseconds as a <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset ReadTimestamp(ref MsgPackReader reader, string what)
    {
        long milliseconds = reader.ReadInt64();
        if (milliseconds < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw Malformed($"the {what} {milliseconds} ms is out of range.");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    /// <summary>Truncates to whole milliseconds, the precision of the wire format.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    public static EnvelopeException Malformed(string detail, Exception? inner = null) =>
        new(EnvelopeError.Malformed, "Malformed: " + detail, inner);
}

/// <summary>An <see cref="IBufferWriter{T}"/> over a fixed array, so an encoding can be built in its final buffer.</summary>
internal sealed class FixedArrayWriter(byte[] buffer) : IBufferWriter<byte>
{
    public int WrittenCount { get; private set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - WrittenCount);
        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(WrittenCount, Check(sizeHint));

    public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(WrittenCount, Check(sizeHint));

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    private int Check(int sizeHint)
    {
        int available = buffer.Length - WrittenCount;
        if (sizeHint > available)
        {
            throw new InvalidOperationException($"The encoding needs {sizeHint} more bytes but only {available} were reserved.");
        }

        return available;
    }
}
