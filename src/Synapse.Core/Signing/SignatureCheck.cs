namespace Synapse.Signing;

/// <summary>The outcome of checking a signed record with a <see cref="SignatureDomain"/>: valid, or what was wrong.</summary>
public enum SignatureCheck
{
    /// <summary>The signer signed exactly these bytes in this domain.</summary>
    Valid,

    /// <summary>The body is larger than the domain's <see cref="SignatureDomain.MaxBodySize"/>; nothing was verified.</summary>
    TooLarge,

    /// <summary>A record in the appended form is too short to hold a body and a signature; nothing was verified.</summary>
    TooShort,

    /// <summary>The signature is not <see cref="SignatureDomain.SignatureSize"/> bytes; nothing was verified.</summary>
    WrongSignatureSize,

    /// <summary>The signature does not verify: another key, other bytes, or another domain.</summary>
    BadSignature,
}
