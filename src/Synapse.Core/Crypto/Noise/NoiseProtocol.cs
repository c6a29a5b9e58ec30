using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Synapse.Crypto.Noise;

/// <summary>
/// A concrete Noise protocol, named <c>Noise_&lt;pattern&gt;_25519_ChaChaPoly_SHA256</c> (revision 34, §8): this
/// implementation supports only the 25519 DH functions, the ChaChaPoly cipher and the SHA256 hash, with any
/// pattern of <see cref="NoiseHandshakePattern"/>.
/// </summary>
public sealed class NoiseProtocol
{
    private const string Prefix = "Noise_";
    private const string Suffix = "_25519_ChaChaPoly_SHA256";

    private NoiseProtocol(string name, NoiseHandshakePattern pattern)
    {
        Name = name;
        Pattern = pattern;
        NameBytes = Encoding.ASCII.GetBytes(name);
    }

    /// <summary><c>Noise_XX_25519_ChaChaPoly_SHA256</c>, the protocol of Synapse's secure links.</summary>
    public static NoiseProtocol XX { get; } = Parse("Noise_XX_25519_ChaChaPoly_SHA256");

    /// <summary>The full protocol name.</summary>
    public string Name { get; }

    /// <summary>The handshake pattern.</summary>
    public NoiseHandshakePattern Pattern { get; }

    /// <summary>The protocol name as ASCII, the input of <c>InitializeSymmetric</c>.</summary>
    internal byte[] NameBytes { get; }

    /// <summary>Parses a protocol name.</summary>
    /// <param name="name">For example <c>Noise_IK_25519_ChaChaPoly_SHA256</c>.</param>
    /// <returns>The protocol.</returns>
    /// <exception cref="ArgumentException">The name is malformed, or names a pattern or functions this implementation does not support.</exception>
    public static NoiseProtocol Parse(string name) =>
        TryParse(name, out NoiseProtocol? protocol, out string? error) ? protocol : throw new ArgumentException(error, nameof(name));

    /// <summary>Parses a protocol name.</summary>
    /// <param name="name">For example <c>Noise_IK_25519_ChaChaPoly_SHA256</c>.</param>
    /// <param name="protocol">The protocol, when supported.</param>
    /// <param name="error">Why the name was refused, otherwise.</param>
    /// <returns>Whether the name is a supported protocol.</returns>
    public static bool TryParse(string? name, [NotNullWhen(true)] out NoiseProtocol? protocol, [NotNullWhen(false)] out string? error)
    {
        protocol = null;
        if (name is null || !name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal)
            || name.Length <= Prefix.Length + Suffix.Length)
        {
            error = $"Unsupported Noise protocol '{name}': expected Noise_<pattern>{Suffix}.";
            return false;
        }

        if (!NoiseHandshakePattern.TryParse(name[Prefix.Length..^Suffix.Length], out NoiseHandshakePattern? pattern, out error))
        {
            return false;
        }

        protocol = new NoiseProtocol(name, pattern);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
