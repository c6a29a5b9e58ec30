using System.Buffers;
using System.Text;
using Synapse.Crypto;
using Synapse.Identity;
using Synapse.MessagePack;

namespace Synapse.Discovery;

/// <summary>The MessagePack encoding of an agent card's fields (everything but the signature).</summary>
internal static class AgentCardWire
{
    public const int FieldCount = 11;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks a text field against its limit before it is signed.</summary>
    public static void CheckText(string value, int max, string what, bool required = false)
    {
        ArgumentNullException.ThrowIfNull(value, what);
        int length = Encoding.UTF8.GetByteCount(value);
        if (length > max || (required && length == 0))
        {
            throw new ArgumentException($"The {what} is {length} bytes ({(required ? 1 : 0)} to {max} allowed).", what);
        }
    }

    public static void WriteCapabilities(ref MsgPackWriter writer, IReadOnlyList<AgentCapability> capabilities)
    {
        writer.WriteArrayHeader(capabilities.Count);
        foreach (var capability in capabilities)
        {
            writer.WriteArrayHeader(4);
            writer.WriteString(capability.Name);
            writer.WriteString(capability.Description);
            writer.WriteString(capability.InputSchema);
            writer.WriteString(capability.OutputSchema);
        }
    }

    public static void WriteRelays(ref MsgPackWriter writer, IReadOnlyList<RelayAddress> relays)
    {
        writer.WriteArrayHeader(relays.Count);
        foreach (var relay in relays)
        {
            writer.WriteArrayHeader(2);
            writer.WriteString(relay.Endpoint);
            if (relay.RelayId.IsDefault)
            {
                writer.WriteNil();
            }
            else
            {
                writer.WriteBinary(relay.RelayId.PublicKey);
            }
        }
    }

    public static AgentCapability[] ReadCapabilities(ref MsgPackReader reader)
    {
        int count = ReadArray(ref reader, AgentCardLimits.MaxCapabilities, "capabilities");
        var capabilities = new AgentCapability[count];
        for (int i = 0; i < count; i++)
        {
            if (reader.ReadArrayHeader() != 4)
            {
                throw Malformed("a capability has 4 fields: name, description, input schema, output schema.");
            }

            capabilities[i] = new AgentCapability(
                ReadText(ref reader, AgentCardLimits.MaxNameLength, "capability name", required: true),
                ReadText(ref reader, AgentCardLimits.MaxDescriptionLength, "capability description"),
                ReadText(ref reader, AgentCardLimits.MaxSchemaLength, "input schema"),
                ReadText(ref reader, AgentCardLimits.MaxSchemaLength, "output schema"));
        }

        return capabilities;
    }

    public static RelayAddress[] ReadRelays(ref MsgPackReader reader)
    {
        int count = ReadArray(ref reader, AgentCardLimits.MaxRelays, "relays");
        var relays = new RelayAddress[count];
        for (int i = 0; i < count; i++)
        {
            if (reader.ReadArrayHeader() != 2)
            {
                throw Malformed("a relay has 2 fields: endpoint and relay id.");
            }

            string endpoint = ReadText(ref reader, AgentCardLimits.MaxNameLength, "relay endpoint", required: true);
            relays[i] = new RelayAddress(endpoint, reader.TryReadNil() ? default : ReadAgent(ref reader, "relay id"));
        }

        return relays;
    }

    /// <summary>Reads a string, checking its length before decoding it as strict UTF-8.</summary>
    public static string ReadText(ref MsgPackReader reader, int max, string what, bool required = false)
    {
        if (reader.NextType != MsgPackType.String)
        {
            throw Malformed($"the {what} is {reader.NextType}, not a string.");
        }

        ReadOnlySequence<byte> utf8 = reader.ReadStringSequence();
        if (utf8.Length > max || (required && utf8.Length == 0))
        {
            throw Malformed($"the {what} is {utf8.Length} bytes ({(required ? 1 : 0)} to {max} allowed).");
        }

        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw Malformed($"the {what} is not valid UTF-8.", ex);
        }
    }

    /// <summary>Reads a 32-byte Ed25519 public key (bin) as an agent id.</summary>
    public static AgentId ReadAgent(ref MsgPackReader reader, string what)
    {
        ReadOnlySequence<byte> key = reader.ReadBinarySequence();
        if (key.Length != Ed25519.PublicKeySize)
        {
            throw Malformed($"the {what} is {key.Length} bytes, not {Ed25519.PublicKeySize}.");
        }

        Span<byte> bytes = stackalloc byte[Ed25519.PublicKeySize];
        key.CopyTo(bytes);
        return AgentId.FromPublicKey(bytes);
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

    public static AgentCardException Malformed(string detail, Exception? inner = null) =>
        new(AgentCardError.Malformed, "Malformed agent card: " + detail, inner);

    private static int ReadArray(ref MsgPackReader reader, int max, string what)
    {
        if (reader.NextType != MsgPackType.Array)
        {
            throw Malformed($"the {what} are {reader.NextType}, not an array.");
        }

        int count = reader.ReadArrayHeader();
        return count <= max ? count : throw Malformed($"{count} {what} (at most {max}).");
    }
}
