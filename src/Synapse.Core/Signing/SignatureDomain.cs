using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Synapse.Crypto;
using Synapse.Identity;

namespace Synapse.Signing;

/// <summary>
/// One kind of signed record: the domain-separation context its signatures cover and the largest body it accepts.
/// A signature is Ed25519 over <c>context ‖ body</c>, the body being the record's canonical encoding (everything
/// the signature vouches for); where a record has a hash, it is SHA-256 of the same bytes. Sizes are checked before
/// any cryptography, and a check says what was wrong (<see cref="SignatureCheck"/>), so each record type raises
/// its own exception.
/// </summary>
/// <remarks>
/// Records lay the signature out in one of three ways, all served here: apart from the body (<see cref="Sign(AgentIdentity, ReadOnlySpan{byte}, Span{byte})"/>,
/// <see cref="Check"/>); after a body that the record keeps behind its context in one buffer, saving a copy
/// (<see cref="SignMessage"/>, <see cref="CheckMessage"/>, <see cref="WithContext"/>); or appended raw to the
/// body, <c>body ‖ signature</c> (<see cref="SignAppended"/>, <see cref="CheckAppended"/>). Thread-safe.
/// </remarks>
public sealed class SignatureDomain
{
    /// <summary>The size of every signature: an Ed25519 signature.</summary>
    public const int SignatureSize = Ed25519.SignatureSize;

    private readonly byte[] _context;

    /// <summary>Creates a domain.</summary>
    /// <param name="context">The context, printable ASCII, by convention <c>"synapse-&lt;record&gt;-v&lt;n&gt;"</c>.</param>
    /// <param name="maxBodySize">The largest body signed or checked, in bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="context"/> is empty or not printable ASCII.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBodySize"/> is negative.</exception>
    public SignatureDomain(string context, int maxBodySize)
    {
        ArgumentException.ThrowIfNullOrEmpty(context);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBodySize);
        if (!context.All(c => c is >= '!' and <= '~'))
        {
            throw new ArgumentException("A signature context is printable ASCII without spaces.", nameof(context));
        }

        Name = context;
        _context = Encoding.ASCII.GetBytes(context);
        MaxBodySize = maxBodySize;
    }

    /// <summary>The context as text.</summary>
    public string Name { get; }

    /// <summary>The context bytes, prefixed to every signed and hashed body.</summary>
    public ReadOnlySpan<byte> Context => _context;

    /// <summary>The largest body signed or checked, in bytes.</summary>
    public int MaxBodySize { get; }

    /// <summary>Signs <c>context ‖ <paramref name="body"/></c>.</summary>
    /// <param name="signer">The signing identity.</param>
    /// <param name="body">The record's canonical encoding.</param>
    /// <param name="signature">Receives the <see cref="SignatureSize"/>-byte signature.</param>
    /// <exception cref="ArgumentException">The body is over <see cref="MaxBodySize"/>, or <paramref name="signature"/> is not <see cref="SignatureSize"/> bytes.</exception>
    public void Sign(AgentIdentity signer, ReadOnlySpan<byte> body, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(signer);
        RequireSize(body.Length);
        byte[] message = ArrayPool<byte>.Shared.Rent(_context.Length + body.Length);
        try
        {
            int length = Concatenate(body, message);
            signer.Sign(message.AsSpan(0, length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <summary>Signs <c>context ‖ <paramref name="body"/></c>.</summary>
    /// <param name="signer">The signing identity.</param>
    /// <param name="body">The record's canonical encoding.</param>
    /// <returns>The signature.</returns>
    /// <exception cref="ArgumentException">The body is over <see cref="MaxBodySize"/>.</exception>
    public byte[] Sign(AgentIdentity signer, ReadOnlySpan<byte> body)
    {
        var signature = new byte[SignatureSize];
        Sign(signer, body, signature);
        return signature;
    }

    /// <summary>Checks that <paramref name="signature"/> is <paramref name="signer"/>'s over <c>context ‖ <paramref name="body"/></c>.</summary>
    /// <param name="signer">Who should have signed.</param>
    /// <param name="body">The record's canonical encoding.</param>
    /// <param name="signature">The signature.</param>
    /// <returns><see cref="SignatureCheck.Valid"/>, or what was wrong.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="signer"/> is the default <see cref="AgentId"/>.</exception>
    public SignatureCheck Check(AgentId signer, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        if (Precheck(body.Length, signature.Length) is { } refused)
        {
            return refused;
        }

        byte[] message = ArrayPool<byte>.Shared.Rent(_context.Length + body.Length);
        try
        {
            int length = Concatenate(body, message);
            return Verify(signer, message.AsSpan(0, length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <summary>A new array holding the context followed by <paramref name="body"/>: the buffer of a record that
    /// keeps its encoding behind the context, for <see cref="SignMessage"/> and <see cref="CheckMessage"/>.</summary>
    /// <param name="body">The encoding.</param>
    /// <returns>The array.</returns>
    public byte[] WithContext(ReadOnlySpan<byte> body)
    {
        var message = new byte[_context.Length + body.Length];
        Concatenate(body, message);
        return message;
    }

    /// <summary>Signs a message that already begins with the context (no copy).</summary>
    /// <param name="signer">The signing identity.</param>
    /// <param name="message">The context followed by the body.</param>
    /// <param name="signature">Receives the <see cref="SignatureSize"/>-byte signature.</param>
    /// <exception cref="ArgumentException"><paramref name="message"/> does not begin with the context, or its body is over <see cref="MaxBodySize"/>.</exception>
    public void SignMessage(AgentIdentity signer, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(signer);
        RequireContext(message);
        RequireSize(message.Length - _context.Length);
        signer.Sign(message, signature);
    }

    /// <summary>Checks a signature over a message that already begins with the context (no copy).</summary>
    /// <param name="signer">Who should have signed.</param>
    /// <param name="message">The context followed by the body.</param>
    /// <param name="signature">The signature.</param>
    /// <returns><see cref="SignatureCheck.Valid"/>, or what was wrong.</returns>
    /// <exception cref="ArgumentException"><paramref name="message"/> does not begin with the context.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="signer"/> is the default <see cref="AgentId"/>.</exception>
    public SignatureCheck CheckMessage(AgentId signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        RequireContext(message);
        return Precheck(message.Length - _context.Length, signature.Length) ?? Verify(signer, message, signature);
    }

    /// <summary>Signs <paramref name="body"/> and returns the appended form <c>body ‖ signature</c>.</summary>
    /// <param name="signer">The signing identity.</param>
    /// <param name="body">The record's canonical encoding.</param>
    /// <returns>The stored record.</returns>
    /// <exception cref="ArgumentException">The body is over <see cref="MaxBodySize"/>.</exception>
    public byte[] SignAppended(AgentIdentity signer, ReadOnlySpan<byte> body)
    {
        var record = new byte[body.Length + SignatureSize];
        body.CopyTo(record);
        Sign(signer, body, record.AsSpan(body.Length));
        return record;
    }

    /// <summary>Checks a record in the appended form <c>body ‖ signature</c>.</summary>
    /// <param name="signer">Who should have signed.</param>
    /// <param name="record">The body followed by the signature.</param>
    /// <returns><see cref="SignatureCheck.Valid"/>, or what was wrong.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="signer"/> is the default <see cref="AgentId"/>.</exception>
    public SignatureCheck CheckAppended(AgentId signer, ReadOnlySpan<byte> record) =>
        record.Length <= SignatureSize ? SignatureCheck.TooShort : Check(signer, BodyOf(record), SignatureOf(record));

    /// <summary>The body of a record in the appended form.</summary>
    /// <param name="record">The body followed by the signature.</param>
    /// <returns>Everything but the last <see cref="SignatureSize"/> bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The record is shorter than a signature.</exception>
    public static ReadOnlySpan<byte> BodyOf(ReadOnlySpan<byte> record) => record[..^SignatureSize];

    /// <summary>The signature of a record in the appended form.</summary>
    /// <param name="record">The body followed by the signature.</param>
    /// <returns>The last <see cref="SignatureSize"/> bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The record is shorter than a signature.</exception>
    public static ReadOnlySpan<byte> SignatureOf(ReadOnlySpan<byte> record) => record[^SignatureSize..];

    /// <summary>SHA-256 of <c>context ‖ <paramref name="body"/></c>: the name of a record that has one.</summary>
    /// <param name="body">The record's canonical encoding.</param>
    /// <returns>The 32-byte hash.</returns>
    public byte[] Hash(ReadOnlySpan<byte> body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_context);
        sha.AppendData(body);
        return sha.GetHashAndReset();
    }

    /// <summary>The context as text.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;

    private SignatureCheck? Precheck(int bodyLength, int signatureLength) =>
        bodyLength > MaxBodySize ? SignatureCheck.TooLarge
        : signatureLength != SignatureSize ? SignatureCheck.WrongSignatureSize
        : null;

    private static SignatureCheck Verify(AgentId signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signer.Verify(message, signature) ? SignatureCheck.Valid : SignatureCheck.BadSignature;

    private int Concatenate(ReadOnlySpan<byte> body, Span<byte> destination)
    {
        _context.CopyTo(destination);
        body.CopyTo(destination[_context.Length..]);
        return _context.Length + body.Length;
    }

    private void RequireSize(int bodyLength)
    {
        if (bodyLength > MaxBodySize)
        {
            throw new ArgumentException($"A {Name} body of {bodyLength} bytes exceeds {MaxBodySize}.");
        }
    }

    private void RequireContext(ReadOnlySpan<byte> message)
    {
        if (!message.StartsWith(_context))
        {
            throw new ArgumentException($"The message does not begin with the context '{Name}'.", nameof(message));
        }
    }
}
