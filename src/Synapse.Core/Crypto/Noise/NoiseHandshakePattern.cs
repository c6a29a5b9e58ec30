using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Synapse.Crypto.Noise;

/// <summary>A token of a Noise message pattern (revision 34, §7.1 and §9).</summary>
public enum NoiseToken : byte
{
    /// <summary><c>e</c>: send (or receive) an ephemeral public key.</summary>
    E,

    /// <summary><c>s</c>: send (or receive) the static public key, encrypted once a key exists.</summary>
    S,

    /// <summary><c>ee</c>: DH between the two ephemeral keys.</summary>
    EE,

    /// <summary><c>es</c>: DH between the initiator's ephemeral and the responder's static key.</summary>
    ES,

    /// <summary><c>se</c>: DH between the initiator's static and the responder's ephemeral key.</summary>
    SE,

    /// <summary><c>ss</c>: DH between the two static keys.</summary>
    SS,

    /// <summary><c>psk</c>: mix in the next pre-shared symmetric key (§9).</summary>
    Psk,
}

/// <summary>
/// A Noise handshake pattern: pre-messages and message patterns (revision 34, §7). The table holds the
/// one-way patterns N, K, X and the twelve fundamental interactive patterns NN … IX of §7.4; any of them
/// takes <c>pskN</c> modifiers (§9.3), e.g. <c>XXpsk3</c> or <c>NNpsk0+psk2</c>. Message <c>i</c> is sent by the
/// initiator when <c>i</c> is even and by the responder when it is odd.
/// </summary>
public sealed class NoiseHandshakePattern
{
    private static readonly Dictionary<string, (NoiseToken[] Initiator, NoiseToken[] Responder, NoiseToken[][] Messages)> Fundamental =
        new(StringComparer.Ordinal)
        {
            // §7.2 one-way patterns
            ["N"] = ([], [NoiseToken.S], [[NoiseToken.E, NoiseToken.ES]]),
            ["K"] = ([NoiseToken.S], [NoiseToken.S], [[NoiseToken.E, NoiseToken.ES, NoiseToken.SS]]),
            ["X"] = ([], [NoiseToken.S], [[NoiseToken.E, NoiseToken.ES, NoiseToken.S, NoiseToken.SS]]),

            // §7.4 interactive patterns
            ["NN"] = ([], [], [[NoiseToken.E], [NoiseToken.E, NoiseToken.EE]]),
            ["NK"] = ([], [NoiseToken.S], [[NoiseToken.E, NoiseToken.ES], [NoiseToken.E, NoiseToken.EE]]),
            ["NX"] = ([], [], [[NoiseToken.E], [NoiseToken.E, NoiseToken.EE, NoiseToken.S, NoiseToken.ES]]),
            ["KN"] = ([NoiseToken.S], [], [[NoiseToken.E], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE]]),
            ["KK"] = ([NoiseToken.S], [NoiseToken.S], [[NoiseToken.E, NoiseToken.ES, NoiseToken.SS], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE]]),
            ["KX"] = ([NoiseToken.S], [], [[NoiseToken.E], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE, NoiseToken.S, NoiseToken.ES]]),
            ["XN"] = ([], [], [[NoiseToken.E], [NoiseToken.E, NoiseToken.EE], [NoiseToken.S, NoiseToken.SE]]),
            ["XK"] = ([], [NoiseToken.S], [[NoiseToken.E, NoiseToken.ES], [NoiseToken.E, NoiseToken.EE], [NoiseToken.S, NoiseToken.SE]]),
            ["XX"] = ([], [], [[NoiseToken.E], [NoiseToken.E, NoiseToken.EE, NoiseToken.S, NoiseToken.ES], [NoiseToken.S, NoiseToken.SE]]),
            ["IN"] = ([], [], [[NoiseToken.E, NoiseToken.S], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE]]),
            ["IK"] = ([], [NoiseToken.S], [[NoiseToken.E, NoiseToken.ES, NoiseToken.S, NoiseToken.SS], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE]]),
            ["IX"] = ([], [], [[NoiseToken.E, NoiseToken.S], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE, NoiseToken.S, NoiseToken.ES]]),
        };

    private NoiseHandshakePattern(string name, NoiseToken[] initiator, NoiseToken[] responder, NoiseToken[][] messages, bool oneWay)
    {
        Name = name;
        InitiatorPreMessage = Array.AsReadOnly(initiator);
        ResponderPreMessage = Array.AsReadOnly(responder);
        Messages = Array.AsReadOnly(Array.ConvertAll(messages, m => (IReadOnlyList<NoiseToken>)Array.AsReadOnly(m)));
        IsOneWay = oneWay;
        PskCount = messages.Sum(m => m.Count(t => t == NoiseToken.Psk));
    }

    /// <summary>The names of the fundamental patterns in the table (without modifiers).</summary>
    public static IReadOnlyCollection<string> FundamentalNames { get; } = new ReadOnlyCollection<string>([.. Fundamental.Keys]);

    /// <summary>The pattern's name with its modifiers, e.g. <c>XX</c> or <c>XXpsk3</c>.</summary>
    public string Name { get; }

    /// <summary>The initiator's pre-message (public keys the responder knows in advance).</summary>
    public IReadOnlyList<NoiseToken> InitiatorPreMessage { get; }

    /// <summary>The responder's pre-message (public keys the initiator knows in advance).</summary>
    public IReadOnlyList<NoiseToken> ResponderPreMessage { get; }

    /// <summary>The message patterns, in order; even indexes are sent by the initiator.</summary>
    public IReadOnlyList<IReadOnlyList<NoiseToken>> Messages { get; }

    /// <summary>Whether this is a one-way pattern (N, K, X): only the initiator sends, then and afterwards.</summary>
    public bool IsOneWay { get; }

    /// <summary>The number of <c>psk</c> tokens, i.e. of pre-shared keys the handshake needs.</summary>
    public int PskCount { get; }

    /// <summary>Whether this is a PSK handshake, in which every <c>e</c> token also calls <c>MixKey</c>.</summary>
    public bool IsPsk => PskCount > 0;

    /// <summary>Looks up a pattern by name, applying <c>pskN</c> modifiers.</summary>
    /// <param name="name">A name such as <c>XX</c>, <c>IK</c>, <c>XXpsk3</c> or <c>NNpsk0+psk2</c>.</param>
    /// <returns>The pattern.</returns>
    /// <exception cref="ArgumentException">The pattern or a modifier is unknown or invalid.</exception>
    public static NoiseHandshakePattern Parse(string name) =>
        TryParse(name, out NoiseHandshakePattern? pattern, out string? error) ? pattern : throw new ArgumentException(error, nameof(name));

    /// <summary>Looks up a pattern by name, applying <c>pskN</c> modifiers.</summary>
    /// <param name="name">A name such as <c>XX</c> or <c>XXpsk3</c>.</param>
    /// <param name="pattern">The pattern, when found.</param>
    /// <param name="error">Why the name was refused, otherwise.</param>
    /// <returns>Whether the name is a supported pattern.</returns>
    public static bool TryParse(string? name, [NotNullWhen(true)] out NoiseHandshakePattern? pattern, [NotNullWhen(false)] out string? error)
    {
        pattern = null;
        if (string.IsNullOrEmpty(name))
        {
            error = "The pattern name is empty.";
            return false;
        }

        int baseLength = 0;
        while (baseLength < name.Length && char.IsAsciiLetterUpper(name[baseLength]))
        {
            baseLength++;
        }

        string baseName = name[..baseLength];
        if (!Fundamental.TryGetValue(baseName, out var definition))
        {
            error = $"Unsupported Noise handshake pattern '{baseName}'; supported: {string.Join(", ", Fundamental.Keys)}.";
            return false;
        }

        var messages = definition.Messages.Select(m => new List<NoiseToken>(m)).ToList();
        if (baseLength < name.Length)
        {
            var seen = new HashSet<int>();
            foreach (string modifier in name[baseLength..].Split('+'))
            {
                if (!modifier.StartsWith("psk", StringComparison.Ordinal)
                    || modifier.Length == 3
                    || modifier.AsSpan(3).ContainsAnyExceptInRange('0', '9')
                    || !int.TryParse(modifier.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int position))
                {
                    error = $"Unsupported Noise pattern modifier '{modifier}' (only pskN is supported).";
                    return false;
                }

                if (position > messages.Count || !seen.Add(position))
                {
                    error = $"The modifier '{modifier}' does not fit the {messages.Count}-message pattern {baseName}.";
                    return false;
                }

                if (position == 0)
                {
                    messages[0].Insert(0, NoiseToken.Psk);
                }
                else
                {
                    messages[position - 1].Add(NoiseToken.Psk);
                }
            }
        }

        pattern = new NoiseHandshakePattern(name, definition.Initiator, definition.Responder, [.. messages.Select(m => m.ToArray())], baseName.Length == 1);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
