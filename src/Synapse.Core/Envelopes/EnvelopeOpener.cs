using Synapse.Crypto.Hpke;
using Synapse.Identity;

namespace Synapse.Envelopes;

/// <summary>Settings of an <see cref="EnvelopeOpener"/>.</summary>
public sealed class EnvelopeOpenerOptions
{
    private readonly TimeSpan _maxAge = TimeSpan.FromMinutes(5);
    private readonly TimeSpan _maxClockSkew = TimeSpan.FromMinutes(1);
    private readonly int _replayCacheCapacity = 100_000;

    /// <summary>How old an envelope may be when opened (default 5 minutes); older ones are
    /// <see cref="EnvelopeError.Expired"/>. Also how long message ids are remembered.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan MaxAge
    {
        get => _maxAge;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _maxAge = value;
        }
    }

    /// <summary>How far in the future a timestamp may be (default 1 minute); further ones are
    /// <see cref="EnvelopeError.FromTheFuture"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan MaxClockSkew
    {
        get => _maxClockSkew;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _maxClockSkew = value;
        }
    }

    /// <summary>
    /// How many opened envelopes the replay cache remembers (default 100 000, about 10 MB). When it is full the
    /// oldest entry is evicted and envelopes stamped at or before it are refused as
    /// <see cref="EnvelopeError.Expired"/> from then on: replays stay impossible, the effective window shrinks.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int ReplayCacheCapacity
    {
        get => _replayCacheCapacity;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _replayCacheCapacity = value;
        }
    }

    /// <summary>The clock (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Size limits (default <see cref="EnvelopeLimits.Default"/>).</summary>
    public EnvelopeLimits Limits { get; init; } = EnvelopeLimits.Default;
}

/// <summary>An opened envelope: the authenticated routing fields and the decrypted payload.</summary>
public sealed class OpenedEnvelope
{
    internal OpenedEnvelope(SealedEnvelope envelope, byte[] payload)
    {
        Sender = envelope.Sender;
        Recipient = envelope.Recipient;
        MessageId = envelope.MessageId;
        Timestamp = envelope.Timestamp;
        Payload = payload;
    }

    /// <summary>The sender, whose signature was verified.</summary>
    public AgentId Sender { get; }

    /// <summary>The recipient: this agent, or a topic it holds the key of.</summary>
    public Recipient Recipient { get; }

    /// <summary>The message id.</summary>
    public Guid MessageId { get; }

    /// <summary>When the sender sealed it.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The decrypted payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <inheritdoc />
    public override string ToString() => $"OpenedEnvelope({MessageId} from {Sender} to {Recipient}, {Payload.Length} bytes)";
}

/// <summary>
/// Opens envelopes addressed to the holder of some <see cref="EncryptionKeyPair"/>s, checking in this order:
/// well-formed and within limits (<see cref="EnvelopeError.Malformed"/>, <see cref="EnvelopeError.TooLarge"/>),
/// the sender's signature (<see cref="EnvelopeError.BadSignature"/>), that the recipient is one of ours
/// (<see cref="EnvelopeError.WrongRecipient"/>), the age window (<see cref="EnvelopeError.Expired"/>,
/// <see cref="EnvelopeError.FromTheFuture"/>), the replay cache (<see cref="EnvelopeError.Replayed"/>), and HPKE
/// decryption (<see cref="EnvelopeError.DecryptionFailed"/>). Every failure is an <see cref="EnvelopeException"/>.
/// </summary>
/// <remarks>
/// A message id is recorded only once its envelope has opened successfully, atomically, so of two concurrent
/// opens of the same envelope exactly one succeeds. Ids are remembered per sender for
/// <see cref="EnvelopeOpenerOptions.MaxAge"/> (see <see cref="EnvelopeOpenerOptions.ReplayCacheCapacity"/> for
/// what happens when the cache is full). Thread-safe. The opener does not own (or dispose) the key pairs.
/// </remarks>
public sealed class EnvelopeOpener
{
    private readonly ReplayCache _replayCache;
    private readonly Lock _keysGate = new();
    private volatile EncryptionKeyPair[] _keys;

    /// <summary>Creates an opener for one key pair.</summary>
    /// <param name="key">The key pair (usually the agent's own).</param>
    /// <param name="options">Settings (defaults when null).</param>
    public EnvelopeOpener(EncryptionKeyPair key, EnvelopeOpenerOptions? options = null)
        : this([key], options)
    {
    }

    /// <summary>Creates an opener for several key pairs (the agent's own, older ones during a rotation, topic keys).</summary>
    /// <param name="keys">The key pairs.</param>
    /// <param name="options">Settings (defaults when null).</param>
    public EnvelopeOpener(IEnumerable<EncryptionKeyPair> keys, EnvelopeOpenerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [.. keys];
        foreach (EncryptionKeyPair key in _keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
        }

        Options = options ?? new EnvelopeOpenerOptions();
        _replayCache = new ReplayCache(Options.ReplayCacheCapacity);
    }

    /// <summary>The settings.</summary>
    public EnvelopeOpenerOptions Options { get; }

    /// <summary>How many message ids the replay cache holds now.</summary>
    public int ReplayCacheCount => _replayCache.Count;

    /// <summary>Adds a key pair (e.g. a new one during rotation, or a topic key).</summary>
    /// <param name="key">The key pair.</param>
    public void AddKey(EncryptionKeyPair key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_keysGate)
        {
            _keys = [.. _keys, key];
        }
    }

    /// <summary>Removes a key pair; envelopes sealed to it no longer open.</summary>
    /// <param name="key">The key pair.</param>
    /// <returns>Whether it was there.</returns>
    public bool RemoveKey(EncryptionKeyPair key)
    {
        lock (_keysGate)
        {
            EncryptionKeyPair[] keys = _keys;
            _keys = [.. keys.Where(k => !ReferenceEquals(k, key))];
            return _keys.Length != keys.Length;
        }
    }

    /// <summary>Decodes and opens an envelope.</summary>
    /// <param name="encoded">The encoded envelope.</param>
    /// <returns>The payload and the authenticated routing fields.</returns>
    /// <exception cref="EnvelopeException">The envelope is refused; <see cref="EnvelopeException.Reason"/> says why.</exception>
    public OpenedEnvelope Open(ReadOnlyMemory<byte> encoded) => Open(SealedEnvelope.Decode(encoded, Options.Limits));

    /// <summary>Opens a decoded envelope.</summary>
    /// <param name="envelope">The envelope.</param>
    /// <returns>The payload and the authenticated routing fields.</returns>
    /// <exception cref="EnvelopeException">The envelope is refused; <see cref="EnvelopeException.Reason"/> says why.</exception>
    public OpenedEnvelope Open(SealedEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.PayloadLength > Options.Limits.MaxPayloadSize)
        {
            throw new EnvelopeException(EnvelopeError.TooLarge, $"The payload of {envelope.PayloadLength} bytes exceeds {Options.Limits.MaxPayloadSize}.");
        }

        if (!envelope.VerifySignature())
        {
            throw new EnvelopeException(EnvelopeError.BadSignature, $"The signature of {envelope.Sender} on envelope {envelope.MessageId} does not verify.");
        }

        EncryptionKeyPair[] keys = [.. _keys.Where(k => k.Certificate.Subject == envelope.Recipient)];
        if (keys.Length == 0)
        {
            throw new EnvelopeException(EnvelopeError.WrongRecipient, $"Envelope {envelope.MessageId} is addressed to {envelope.Recipient}, for which this opener holds no key.");
        }

        DateTimeOffset now = Options.TimeProvider.GetUtcNow();
        TimeSpan age = now - envelope.Timestamp;
        if (age > Options.MaxAge)
        {
            throw new EnvelopeException(EnvelopeError.Expired, $"Envelope {envelope.MessageId} is {age.TotalSeconds:0.###} s old (at most {Options.MaxAge.TotalSeconds:0.###} s).");
        }

        if (-age > Options.MaxClockSkew)
        {
            throw new EnvelopeException(EnvelopeError.FromTheFuture, $"Envelope {envelope.MessageId} is stamped {(-age).TotalSeconds:0.###} s in the future (at most {Options.MaxClockSkew.TotalSeconds:0.###} s).");
        }

        var replayKey = ReplayKey.Create(envelope.Sender, envelope.MessageId);
        long timestamp = envelope.Timestamp.ToUnixTimeMilliseconds();
        long cutoff = (now - Options.MaxAge).ToUnixTimeMilliseconds();
        ThrowIfReplayed(_replayCache.Check(replayKey, timestamp, cutoff), envelope);

        byte[]? payload = null;
        HpkeException? failure = null;
        foreach (EncryptionKeyPair key in keys)
        {
            try
            {
                using HpkeContext context = HpkeSuite.SetupBaseReceiver(envelope.EncapsulatedKey, key.PrivateKey, SealedEnvelope.SignatureContext);
                payload = context.Open(envelope.AssociatedData, envelope.Ciphertext);
                break;
            }
            catch (HpkeException ex)
            {
                failure = ex;
            }
        }

        if (payload is null)
        {
            throw new EnvelopeException(EnvelopeError.DecryptionFailed, $"Envelope {envelope.MessageId} from {envelope.Sender} does not decrypt with the key(s) of {envelope.Recipient}.", failure);
        }

        ThrowIfReplayed(_replayCache.TryAdd(replayKey, timestamp, cutoff), envelope);
        return new OpenedEnvelope(envelope, payload);
    }

    private static void ThrowIfReplayed(ReplayStatus status, SealedEnvelope envelope)
    {
        switch (status)
        {
            case ReplayStatus.Seen:
                throw new EnvelopeException(EnvelopeError.Replayed, $"Envelope {envelope.MessageId} from {envelope.Sender} was already opened.");
            case ReplayStatus.BeyondHorizon:
                throw new EnvelopeException(EnvelopeError.Expired, $"Envelope {envelope.MessageId} is older than the replay cache can vouch for (the cache overflowed, or the clock went back).");
        }
    }
}
