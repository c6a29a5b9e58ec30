using System.Buffers;
using Synapse.Crypto;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Signing;

namespace Synapse.Discovery;

/// <summary>
/// An agent's signed card: who it is, what it can do, where it can be reached and how to seal to it. Relays keep
/// a directory of live cards and answer queries from it (see <c>docs/discovery.md</c>).
/// </summary>
/// <remarks>
/// <para>
/// Encoding (MessagePack array, version 1): <c>[1, agent, name, role, description, capabilities, relays, key,
/// issued_at, expires_at, signature]</c>: <c>agent</c> the 32-byte Ed25519 key (bin), the texts str,
/// <c>capabilities</c> an array of <c>[name, description, input_schema, output_schema]</c>, <c>relays</c> an array
/// of <c>[endpoint, relay_key bin 32 | nil]</c>, <c>key</c> the agent's encoded
/// <see cref="EncryptionKeyCertificate"/> (bin) or nil, the times Unix milliseconds, and <c>signature</c> (bin 64)
/// the agent's Ed25519 signature over <c>"synapse-agent-card-v1"</c> followed by every encoded byte before it.
/// </para>
/// <para><see cref="Decode"/> checks the shape and the limits of <see cref="AgentCardLimits"/>;
/// <see cref="Verify"/> checks the signature, the validity period and the encryption key's issuer.</para>
/// </remarks>
public sealed class AgentCard
{
    /// <summary>The encoding version.</summary>
    public const int Version = 1;

    private static readonly SignatureDomain Domain = new("synapse-agent-card-v1", AgentCardLimits.MaxEncodedSize);

    private readonly byte[] _storage;
    private readonly int _length;
    private readonly int _signedLength;
    private readonly int _signatureOffset;

    private AgentCard(byte[] storage, int length)
    {
        _storage = storage;
        _length = length;
        int prefix = SignatureContext.Length;
        try
        {
            var reader = new MsgPackReader(storage.AsMemory(prefix, length));
            if (reader.NextType != MsgPackType.Array || reader.ReadArrayHeader() != AgentCardWire.FieldCount)
            {
                throw AgentCardWire.Malformed($"a card is an array of {AgentCardWire.FieldCount} fields.");
            }

            long version = reader.NextType == MsgPackType.Integer ? reader.ReadInt64() : -1;
            if (version != Version)
            {
                throw AgentCardWire.Malformed($"version {version} is not supported (expected {Version}).");
            }

            Agent = AgentCardWire.ReadAgent(ref reader, "agent key");
            Name = AgentCardWire.ReadText(ref reader, AgentCardLimits.MaxNameLength, "name", required: true);
            Role = AgentCardWire.ReadText(ref reader, AgentCardLimits.MaxNameLength, "role");
            Description = AgentCardWire.ReadText(ref reader, AgentCardLimits.MaxDescriptionLength, "description");
            Capabilities = AgentCardWire.ReadCapabilities(ref reader);
            Relays = AgentCardWire.ReadRelays(ref reader);
            EncryptionKey = reader.TryReadNil() ? null : DecodeKey(reader.ReadBinarySequence());
            IssuedAt = AgentCardWire.ReadTimestamp(ref reader, "issue time");
            ExpiresAt = AgentCardWire.ReadTimestamp(ref reader, "expiry time");
            _signedLength = checked(prefix + (int)reader.Consumed);
            ReadOnlySequence<byte> signature = reader.ReadBinarySequence();
            if (signature.Length != Ed25519.SignatureSize)
            {
                throw AgentCardWire.Malformed($"the signature is {signature.Length} bytes, not {Ed25519.SignatureSize}.");
            }

            _signatureOffset = checked(prefix + (int)reader.Consumed - Ed25519.SignatureSize);
            if (!reader.End)
            {
                throw AgentCardWire.Malformed("trailing bytes after the card.");
            }
        }
        catch (MsgPackException ex)
        {
            throw AgentCardWire.Malformed(ex.Message, ex);
        }

        if (ExpiresAt <= IssuedAt)
        {
            throw AgentCardWire.Malformed("it expires before it is issued.");
        }
    }

    /// <summary>The domain-separation prefix of the signed message.</summary>
    public static ReadOnlySpan<byte> SignatureContext => Domain.Context;

    /// <summary>The agent the card describes, and who signed it.</summary>
    public AgentId Agent { get; }

    /// <summary>The agent's name (never empty).</summary>
    public string Name { get; }

    /// <summary>The agent's role ("" when none).</summary>
    public string Role { get; }

    /// <summary>What the agent does ("" when none).</summary>
    public string Description { get; }

    /// <summary>What the agent can do, with the schemas to call it.</summary>
    public IReadOnlyList<AgentCapability> Capabilities { get; }

    /// <summary>The relays where the agent can be reached.</summary>
    public IReadOnlyList<RelayAddress> Relays { get; }

    /// <summary>The agent's encryption key, so a finder can seal envelopes to it; null when the card has none.</summary>
    public EncryptionKeyCertificate? EncryptionKey { get; }

    /// <summary>When the card was signed; a newer card of the same agent replaces an older one.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the card stops being valid.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The encoded card, as <see cref="Decode"/> reads it.</summary>
    public ReadOnlyMemory<byte> Encoded => _storage.AsMemory(SignatureContext.Length, _length);

    /// <summary>The encoded card in a new array.</summary>
    /// <returns>The bytes.</returns>
    public byte[] Encode() => Encoded.ToArray();

    /// <summary>Signs a card for <paramref name="identity"/>.</summary>
    /// <param name="identity">The agent; its id is the card's <see cref="Agent"/>.</param>
    /// <param name="name">The agent's name (1 to <see cref="AgentCardLimits.MaxNameLength"/> UTF-8 bytes).</param>
    /// <param name="role">Its role ("" when none).</param>
    /// <param name="description">What it does ("" when none).</param>
    /// <param name="capabilities">What it can do (see <see cref="AgentCapability.FromDescriptor"/>).</param>
    /// <param name="relays">Where it can be reached.</param>
    /// <param name="encryptionKey">Its encryption key certificate, issued by itself for itself, or null.</param>
    /// <param name="issuedAt">The issue time (kept to the millisecond).</param>
    /// <param name="expiresAt">The expiry, after <paramref name="issuedAt"/>.</param>
    /// <returns>The signed card.</returns>
    /// <exception cref="ArgumentException">A field breaks a limit, the key is not the agent's, or the card would expire before it is issued.</exception>
    public static AgentCard Sign(
        AgentIdentity identity,
        string name,
        string role,
        string description,
        IReadOnlyList<AgentCapability> capabilities,
        IReadOnlyList<RelayAddress> relays,
        EncryptionKeyCertificate? encryptionKey,
        DateTimeOffset issuedAt,
        DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(relays);
        CheckFields(identity.Id, name, role, description, capabilities, relays, encryptionKey);
        if (expiresAt.ToUnixTimeMilliseconds() <= issuedAt.ToUnixTimeMilliseconds())
        {
            throw new ArgumentException("The card must expire after it is issued.", nameof(expiresAt));
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        buffer.Write(SignatureContext);
        var writer = new MsgPackWriter(buffer);
        writer.WriteArrayHeader(AgentCardWire.FieldCount);
        writer.WriteInt32(Version);
        writer.WriteBinary(identity.Id.PublicKey);
        writer.WriteString(name);
        writer.WriteString(role);
        writer.WriteString(description);
        AgentCardWire.WriteCapabilities(ref writer, capabilities);
        AgentCardWire.WriteRelays(ref writer, relays);
        if (encryptionKey is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.WriteBinary(encryptionKey.Encoded.Span);
        }

        writer.WriteInt64(issuedAt.ToUnixTimeMilliseconds());
        writer.WriteInt64(expiresAt.ToUnixTimeMilliseconds());
        writer.Flush();
        if (buffer.WrittenCount - SignatureContext.Length + 2 + Ed25519.SignatureSize > AgentCardLimits.MaxEncodedSize)
        {
            throw new ArgumentException($"The card would exceed {AgentCardLimits.MaxEncodedSize} bytes.", nameof(capabilities));
        }

        Span<byte> signature = stackalloc byte[Ed25519.SignatureSize];
        Domain.SignMessage(identity, buffer.WrittenSpan, signature);
        writer = new MsgPackWriter(buffer);
        writer.WriteBinary(signature);
        writer.Flush();
        byte[] storage = buffer.WrittenSpan.ToArray();
        return new AgentCard(storage, storage.Length - SignatureContext.Length);
    }

    /// <summary>Signs a card whose name, role, description and capabilities come from a generated manifest.</summary>
    /// <param name="identity">The agent.</param>
    /// <param name="descriptor">Its generated descriptor (<c>IAgentNode.CreateDispatcher().Descriptor</c>).</param>
    /// <param name="relays">Where it can be reached.</param>
    /// <param name="encryptionKey">Its encryption key certificate, or null.</param>
    /// <param name="issuedAt">The issue time.</param>
    /// <param name="expiresAt">The expiry.</param>
    /// <returns>The signed card.</returns>
    /// <exception cref="ArgumentException">As for the other overload.</exception>
    public static AgentCard Sign(
        AgentIdentity identity,
        AgentDescriptor descriptor,
        IReadOnlyList<RelayAddress> relays,
        EncryptionKeyCertificate? encryptionKey,
        DateTimeOffset issuedAt,
        DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return Sign(identity, descriptor.Name, descriptor.Role, descriptor.Description, AgentCapability.FromDescriptor(descriptor), relays, encryptionKey, issuedAt, expiresAt);
    }

    /// <summary>Decodes a card, checking its shape and limits; call <see cref="Verify"/> before trusting it.</summary>
    /// <param name="encoded">The bytes from <see cref="Encode"/>.</param>
    /// <returns>The card.</returns>
    /// <exception cref="AgentCardException"><see cref="AgentCardError.TooLarge"/> over
    /// <see cref="AgentCardLimits.MaxEncodedSize"/>, else <see cref="AgentCardError.Malformed"/> naming the fault.</exception>
    public static AgentCard Decode(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.Length > AgentCardLimits.MaxEncodedSize)
        {
            throw new AgentCardException(AgentCardError.TooLarge, $"An agent card of {encoded.Length} bytes exceeds {AgentCardLimits.MaxEncodedSize}.");
        }

        return new AgentCard(Domain.WithContext(encoded.Span), encoded.Length);
    }

    /// <summary>Decodes and verifies a card in one step.</summary>
    /// <param name="encoded">The encoded card.</param>
    /// <param name="now">The current time.</param>
    /// <param name="clockSkew">How far the agent's clock may be ahead.</param>
    /// <returns>The verified card.</returns>
    /// <exception cref="AgentCardException">As <see cref="Decode"/> and <see cref="Verify"/>.</exception>
    public static AgentCard DecodeVerified(ReadOnlyMemory<byte> encoded, DateTimeOffset now, TimeSpan clockSkew = default)
    {
        AgentCard card = Decode(encoded);
        card.Verify(now, clockSkew);
        return card;
    }

    /// <summary>
    /// Checks that the card's agent signed it, that it is valid at <paramref name="now"/>, and that its encryption
    /// key is the agent's own.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="clockSkew">How far the agent's clock may be ahead of <paramref name="now"/>.</param>
    /// <exception cref="AgentCardException"><see cref="AgentCardError.BadSignature"/>, <see cref="AgentCardError.Expired"/>,
    /// <see cref="AgentCardError.NotYetValid"/> or <see cref="AgentCardError.ForeignEncryptionKey"/>.</exception>
    public void Verify(DateTimeOffset now, TimeSpan clockSkew = default)
    {
        if (Domain.CheckMessage(Agent, _storage.AsSpan(0, _signedLength), _storage.AsSpan(_signatureOffset, Ed25519.SignatureSize)) != SignatureCheck.Valid)
        {
            throw new AgentCardException(AgentCardError.BadSignature, $"The agent card's signature is not {Agent}'s.");
        }

        if (EncryptionKey is { } key && (!key.Subject.Is(Agent) || key.Issuer != Agent))
        {
            throw new AgentCardException(AgentCardError.ForeignEncryptionKey, $"The card's encryption key is issued by {key.Issuer} for {key.Subject}, not by {Agent} for itself.");
        }

        if (IsExpiredAt(now))
        {
            throw new AgentCardException(AgentCardError.Expired, $"The agent card of {Agent} expired at {ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}.");
        }

        if (IssuedAt > now + clockSkew)
        {
            throw new AgentCardException(AgentCardError.NotYetValid, $"The agent card of {Agent} is issued at {IssuedAt:yyyy-MM-ddTHH:mm:ssZ}, in the future.");
        }
    }

    /// <summary>Whether the card has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The time to check.</param>
    /// <returns>Whether <paramref name="now"/> is at or after <see cref="ExpiresAt"/>.</returns>
    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;

    /// <inheritdoc />
    public override string ToString() => $"AgentCard({Name}, {Agent}, {Capabilities.Count} capabilities, to {ExpiresAt:yyyy-MM-ddTHH:mm:ssZ})";

    private static EncryptionKeyCertificate DecodeKey(ReadOnlySequence<byte> encoded)
    {
        if (encoded.Length > EncryptionKeyCertificate.MaxEncodedSize)
        {
            throw AgentCardWire.Malformed($"the encryption key is {encoded.Length} bytes (at most {EncryptionKeyCertificate.MaxEncodedSize}).");
        }

        try
        {
            return EncryptionKeyCertificate.Decode(encoded.ToArray());
        }
        catch (EnvelopeException ex)
        {
            throw AgentCardWire.Malformed($"the encryption key: {ex.Message}", ex);
        }
    }

    private static void CheckFields(
        AgentId agent,
        string name,
        string role,
        string description,
        IReadOnlyList<AgentCapability> capabilities,
        IReadOnlyList<RelayAddress> relays,
        EncryptionKeyCertificate? encryptionKey)
    {
        AgentCardWire.CheckText(name, AgentCardLimits.MaxNameLength, nameof(name), required: true);
        AgentCardWire.CheckText(role, AgentCardLimits.MaxNameLength, nameof(role));
        AgentCardWire.CheckText(description, AgentCardLimits.MaxDescriptionLength, nameof(description));
        if (capabilities.Count > AgentCardLimits.MaxCapabilities || relays.Count > AgentCardLimits.MaxRelays)
        {
            throw new ArgumentException($"A card lists at most {AgentCardLimits.MaxCapabilities} capabilities and {AgentCardLimits.MaxRelays} relays.", nameof(capabilities));
        }

        foreach (var capability in capabilities)
        {
            AgentCardWire.CheckText(capability.Name, AgentCardLimits.MaxNameLength, "capability name", required: true);
            AgentCardWire.CheckText(capability.Description, AgentCardLimits.MaxDescriptionLength, "capability description");
            AgentCardWire.CheckText(capability.InputSchema, AgentCardLimits.MaxSchemaLength, "input schema");
            AgentCardWire.CheckText(capability.OutputSchema, AgentCardLimits.MaxSchemaLength, "output schema");
        }

        foreach (var relay in relays)
        {
            AgentCardWire.CheckText(relay.Endpoint, AgentCardLimits.MaxNameLength, "relay endpoint", required: true);
        }

        if (encryptionKey is not null && (!encryptionKey.Subject.Is(agent) || encryptionKey.Issuer != agent))
        {
            throw new ArgumentException("The encryption key must be the agent's own, issued by itself.", nameof(encryptionKey));
        }
    }
}
