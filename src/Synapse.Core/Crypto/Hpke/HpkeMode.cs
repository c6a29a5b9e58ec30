namespace Synapse.Crypto.Hpke;

/// <summary>The four HPKE modes of RFC 9180 §5; the value is the <c>mode</c> byte of the key schedule.</summary>
public enum HpkeMode : byte
{
    /// <summary><c>mode_base</c>: the recipient's key only.</summary>
    Base = 0x00,

    /// <summary><c>mode_psk</c>: the recipient's key and a pre-shared key.</summary>
    Psk = 0x01,

    /// <summary><c>mode_auth</c>: the recipient's key and the sender's static key (the sender is authenticated).</summary>
    Auth = 0x02,

    /// <summary><c>mode_auth_psk</c>: both the sender's static key and a pre-shared key.</summary>
    AuthPsk = 0x03,
}
