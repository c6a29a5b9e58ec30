using System.Buffers;
using Synapse.Identity;
using Synapse.MessagePack;
using Synapse.Signing;

namespace Synapse.Crypto.Noise;

/// <summary>
/// A Noise static key bound to an agent identity: an X25519 key pair and the agent's Ed25519 signature over
/// <c>"synapse-noise-static-v1" || static public key</c>. It is what a <see cref="NoiseXXHandshake"/> presents
/// to the peer. One credential can serve many handshakes (a host creates it once). The private key is held by
/// NSec and never leaves it; disposing the credential frees it (libsodium wipes it).
/// </summary>
/// <remarks>
/// The handshake payload it produces is the MessagePack map <c>{"id": did:key string, "sig": 64-byte
/// signature}</c>. The signature alone proves nothing about who holds the static key: the Noise XX handshake
/// proves that (its <c>es</c>/<c>se</c> DHs), and the signature binds that key to the agent id.
/// </remarks>
public sealed class NoiseStaticCredential : IDisposable
{
    private readonly X25519PrivateKey _privateKey;
    private readonly byte[] _publicKey = new byte[X25519.KeySize];
    private bool _disposed;

    /// <summary>Builds a credential from its parts; the signature is not checked (tests use this to forge one).</summary>
    internal NoiseStaticCredential(AgentId id, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> signature)
        : this(id, X25519PrivateKey.Create(privateKey), signature)
    {
    }

    private NoiseStaticCredential(AgentId id, X25519PrivateKey privateKey, ReadOnlySpan<byte> signature)
    {
        Id = id;
        _privateKey = privateKey;
        _privateKey.GetPublicKey(_publicKey);
        Payload = NoiseIdentityPayload.Encode(id, signature);
    }

    /// <summary>The domain-separation prefix of the signed message.</summary>
    public static ReadOnlySpan<byte> SignatureContext => Domain.Context;

    /// <summary>The signature domain of static keys: the signed body is the 32-byte X25519 public key.</summary>
    internal static SignatureDomain Domain { get; } = new("synapse-noise-static-v1", X25519.KeySize);

    /// <summary>The agent this credential speaks for.</summary>
    public AgentId Id { get; }

    /// <summary>The X25519 static public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The X25519 static private key, held by NSec.</summary>
    internal X25519PrivateKey PrivateKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKey;
        }
    }

    /// <summary>The encoded identity payload sent in the handshake.</summary>
    internal byte[] Payload { get; }

    /// <summary>Creates a credential with a fresh X25519 static key signed by <paramref name="identity"/>.</summary>
    /// <param name="identity">The agent identity.</param>
    /// <returns>The credential.</returns>
    public static NoiseStaticCredential Create(AgentIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);

        // Generated inside NSec: the private key never exists outside it, and one key (one guarded allocation, one
        // scalar multiplication) is made instead of a raw pair imported again.
        var privateKey = X25519PrivateKey.Generate();
        try
        {
            Span<byte> publicKey = stackalloc byte[X25519.KeySize];
            privateKey.GetPublicKey(publicKey);
            return new NoiseStaticCredential(identity.Id, privateKey, Domain.Sign(identity, publicKey));
        }
        catch
        {
            privateKey.Dispose();
            throw;
        }
    }

    /// <summary>Frees the private key (libsodium wipes it).</summary>
    public void Dispose()
    {
        _disposed = true;
        _privateKey.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"NoiseStaticCredential({Id})";
}

/// <summary>The identity payload of handshake messages 2 and 3: <c>{"id": did:key, "sig": signature}</c>.</summary>
internal static class NoiseIdentityPayload
{
    /// <summary>A generous bound on the did:key text (an Ed25519 did:key is 56 characters).</summary>
    private const int MaxIdLength = 128;

    /// <summary>Unknown keys are skipped, up to this many entries in all.</summary>
    private const int MaxEntries = 16;

    public static byte[] Encode(AgentId id, ReadOnlySpan<byte> signature)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new MsgPackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.WriteString("id");
        writer.WriteString(id.ToString());
        writer.WriteString("sig");
        writer.WriteBinary(signature);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes the payload and checks the signature over <paramref name="staticPublicKey"/>.</summary>
    /// <exception cref="NoiseIdentityException">The payload is malformed or the signature does not verify.</exception>
    public static AgentId Verify(byte[] payload, ReadOnlySpan<byte> staticPublicKey)
    {
        string? text = null;
        byte[]? signature = null;
        try
        {
            var reader = new MsgPackReader(payload);
            int count = reader.ReadMapHeader();
            if (count > MaxEntries)
            {
                throw new NoiseIdentityException($"The peer's identity payload has {count} entries (at most {MaxEntries}).");
            }

            for (int i = 0; i < count; i++)
            {
                string key = reader.ReadString();
                switch (key)
                {
                    case "id" when text is null:
                        text = reader.ReadString();
                        if (text.Length > MaxIdLength)
                        {
                            throw new NoiseIdentityException("The peer's agent id is too long.");
                        }

                        break;
                    case "sig" when signature is null:
                        signature = reader.ReadBinary();
                        break;
                    case "id" or "sig":
                        throw new NoiseIdentityException($"The peer's identity payload repeats '{key}'.");
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (!reader.End)
            {
                throw new NoiseIdentityException("The peer's identity payload has trailing bytes.");
            }
        }
        catch (MsgPackException ex)
        {
            throw new NoiseIdentityException($"The peer's identity payload is malformed: {ex.Message}", ex);
        }

        if (text is null || signature is null)
        {
            throw new NoiseIdentityException($"The peer's identity payload lacks '{(text is null ? "id" : "sig")}'.");
        }

        if (!AgentId.TryParse(text, out AgentId id, out string? error))
        {
            throw new NoiseIdentityException($"The peer's agent id is invalid: {error}");
        }

        switch (NoiseStaticCredential.Domain.Check(id, staticPublicKey, signature))
        {
            case SignatureCheck.Valid:
                break;
            case SignatureCheck.WrongSignatureSize:
                throw new NoiseIdentityException($"The signature of {id} over the peer's Noise static key is {signature.Length} bytes, not {SignatureDomain.SignatureSize}.");
            default:
                throw new NoiseIdentityException($"The signature of {id} over the peer's Noise static key does not verify.");
        }

        return id;
    }
}
