namespace Synapse.Identity;

/// <summary>Why an identity key file could not be loaded.</summary>
public enum IdentityFileError
{
    /// <summary>The file is damaged: not JSON, a missing or malformed field, truncated data, or an id that does not match the key.</summary>
    Corrupted,

    /// <summary>The file is from a newer or different format (version, key derivation or cipher).</summary>
    Unsupported,

    /// <summary>The file is larger than <see cref="AgentIdentity.MaxFileSize"/>.</summary>
    TooLarge,

    /// <summary>The key is encrypted and no passphrase was given.</summary>
    PassphraseRequired,

    /// <summary>The passphrase does not decrypt the key (or the encrypted key, or the id it is bound to, was altered).</summary>
    WrongPassphrase,

    /// <summary>A passphrase was given but the key in the file is not encrypted.</summary>
    NotEncrypted,

    /// <summary>The file may be read or written by other users (its group or everyone); like OpenSSH, the key is
    /// refused until the file is made owner-only (<c>chmod 600</c>).</summary>
    InsecurePermissions,
}

/// <summary>
/// An identity key file could not be loaded. The message names the file and the reason; it never contains
/// key material or the passphrase.
/// </summary>
public sealed class IdentityFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The key file.</param>
    /// <param name="error">The kind of failure.</param>
    /// <param name="reason">What is wrong, in words.</param>
    /// <param name="innerException">The cause, if any.</param>
    public IdentityFileException(string path, IdentityFileError error, string reason, Exception? innerException = null)
        : base($"Cannot load the agent identity from '{path}': {reason}.", innerException)
    {
        Path = path;
        Error = error;
    }

    /// <summary>The key file.</summary>
    public string Path { get; }

    /// <summary>The kind of failure.</summary>
    public IdentityFileError Error { get; }
}
