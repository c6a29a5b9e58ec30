using System.Buffers;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.MessagePack;

namespace Synapse.Relay.Client;

/// <summary>A room key another agent shared with this one in a direct sealed message.</summary>
public sealed class RoomInvitation
{
    internal RoomInvitation(AgentId from, string room, EncryptionKeyPair key)
    {
        From = from;
        Room = room;
        Key = key;
    }

    /// <summary>Who shared the key (proven by the envelope's signature).</summary>
    public AgentId From { get; }

    /// <summary>The room the key opens.</summary>
    public string Room { get; }

    /// <summary>The room's key pair: pass it to <see cref="RelayClient.JoinAsync"/> to join; dispose it otherwise.</summary>
    public EncryptionKeyPair Key { get; }

    /// <inheritdoc />
    public override string ToString() => $"RoomInvitation({Room} from {From})";
}

/// <summary>
/// The payload that carries a room key in a direct envelope: a fixed marker, then a MessagePack map with the key's
/// certificate and private key. Only the recipient can open the envelope; the relay sees an ordinary direct message.
/// </summary>
internal static class RoomKeyShare
{
    private static ReadOnlySpan<byte> Marker => "\0synapse-room-key-v1\0"u8;

    public static byte[] Encode(EncryptionKeyPair roomKey)
    {
        if (!roomKey.Certificate.Subject.IsTopic)
        {
            throw new ArgumentException("Only a room (topic) key can be shared; this key belongs to an agent.", nameof(roomKey));
        }

        Span<byte> privateKey = stackalloc byte[32];
        roomKey.ExportPrivateKey(privateKey);
        var buffer = new ArrayBufferWriter<byte>(160);
        buffer.Write(Marker);
        var writer = new MsgPackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.WriteString("certificate");
        writer.WriteBinary(roomKey.Certificate.Encoded.Span);
        writer.WriteString("key");
        writer.WriteBinary(privateKey);
        writer.Flush();
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateKey);
        var encoded = buffer.WrittenSpan.ToArray();
        buffer.Clear(); // zeroes the copy of the private key
        return encoded;
    }

    public static bool IsShare(ReadOnlySpan<byte> payload) => payload.StartsWith(Marker);

    /// <summary>Reads a shared key; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static EncryptionKeyPair Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new MsgPackReader(payload[Marker.Length..], new MsgPackReaderOptions { MaxDepth = 2 });
            byte[]? certificate = null;
            byte[]? key = null;
            for (var fields = reader.ReadMapHeader(); fields > 0; fields--)
            {
                switch (reader.ReadString())
                {
                    case "certificate":
                        certificate = reader.ReadBinary();
                        break;
                    case "key":
                        key = reader.ReadBinary();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            var decoded = EncryptionKeyCertificate.Decode(certificate ?? throw new FormatException("the shared room key has no certificate"));
            if (!decoded.Subject.IsTopic)
            {
                throw new FormatException("the shared key's certificate is not for a room");
            }

            try
            {
                return EncryptionKeyPair.FromPrivateKey(key ?? throw new FormatException("the shared room key has no private key"), decoded);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            }
        }
        catch (Exception e) when (e is MsgPackException or EnvelopeException or ArgumentException)
        {
            throw new FormatException($"a malformed shared room key: {e.Message}", e);
        }
    }
}
