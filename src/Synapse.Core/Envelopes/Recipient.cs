using System.Text;
using Synapse.Identity;

namespace Synapse.Envelopes;

/// <summary>What a <see cref="Recipient"/> designates.</summary>
public enum RecipientKind : byte
{
    /// <summary>The default value: no recipient.</summary>
    None = 0,

    /// <summary>One agent, by its <see cref="AgentId"/>.</summary>
    Agent = 1,

    /// <summary>A topic (a room), by name; its members share the topic's encryption key.</summary>
    Topic = 2,
}

/// <summary>
/// The addressee of a sealed envelope: either one agent or a topic. Equality is by kind and value (agent key
/// bytes, or the topic name compared ordinally).
/// </summary>
/// <remarks>
/// On the wire an agent is its 32-byte Ed25519 public key (MessagePack bin) and a topic its name (MessagePack
/// str), so the MessagePack type tells them apart. Topic names are 1 to <see cref="MaxTopicLength"/> bytes of
/// UTF-8 without control characters.
/// </remarks>
public readonly struct Recipient : IEquatable<Recipient>
{
    /// <summary>The longest topic name, in UTF-8 bytes.</summary>
    public const int MaxTopicLength = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly AgentId _agent;
    private readonly string? _topic;

    private Recipient(AgentId agent)
    {
        Kind = RecipientKind.Agent;
        _agent = agent;
    }

    private Recipient(string topic)
    {
        Kind = RecipientKind.Topic;
        _topic = topic;
    }

    /// <summary>Whether this is an agent, a topic, or the default value.</summary>
    public RecipientKind Kind { get; }

    /// <summary>Whether this is an agent.</summary>
    public bool IsAgent => Kind == RecipientKind.Agent;

    /// <summary>Whether this is a topic.</summary>
    public bool IsTopic => Kind == RecipientKind.Topic;

    /// <summary>The agent.</summary>
    /// <exception cref="InvalidOperationException">This is not an agent.</exception>
    public AgentId Agent => IsAgent ? _agent : throw new InvalidOperationException($"The recipient is not an agent but {this}.");

    /// <summary>The topic name.</summary>
    /// <exception cref="InvalidOperationException">This is not a topic.</exception>
    public string Topic => _topic ?? throw new InvalidOperationException($"The recipient is not a topic but {this}.");

    /// <summary>An agent recipient.</summary>
    /// <param name="agent">The agent.</param>
    /// <returns>The recipient.</returns>
    /// <exception cref="ArgumentException"><paramref name="agent"/> is the default id.</exception>
    public static Recipient ForAgent(AgentId agent) =>
        agent.IsDefault ? throw new ArgumentException("The agent id is empty.", nameof(agent)) : new Recipient(agent);

    /// <summary>A topic recipient.</summary>
    /// <param name="topic">The topic name: 1 to <see cref="MaxTopicLength"/> UTF-8 bytes, no control characters.</param>
    /// <returns>The recipient.</returns>
    /// <exception cref="ArgumentException">The name is empty, too long, not valid Unicode, or has control characters.</exception>
    public static Recipient ForTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return TryValidateTopic(topic, out string? error) ? new Recipient(topic) : throw new ArgumentException(error, nameof(topic));
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(Recipient left, Recipient right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Recipient left, Recipient right) => !left.Equals(right);

    /// <summary>Whether <paramref name="agent"/> is this recipient.</summary>
    /// <param name="agent">The agent.</param>
    /// <returns>True for an agent recipient with that id.</returns>
    public bool Is(AgentId agent) => IsAgent && _agent == agent;

    /// <inheritdoc />
    public bool Equals(Recipient other) => Kind == other.Kind && Kind switch
    {
        RecipientKind.Agent => _agent == other._agent,
        RecipientKind.Topic => string.Equals(_topic, other._topic, StringComparison.Ordinal),
        _ => true,
    };

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Recipient other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        RecipientKind.Agent => HashCode.Combine(Kind, _agent),
        RecipientKind.Topic => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_topic!)),
        _ => 0,
    };

    /// <summary><c>agent:did:key:…</c>, <c>topic:name</c>, or <c>none</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        RecipientKind.Agent => $"agent:{_agent}",
        RecipientKind.Topic => $"topic:{_topic}",
        _ => "none",
    };

    /// <summary>Checks a topic name.</summary>
    internal static bool TryValidateTopic(string topic, out string? error)
    {
        int length;
        try
        {
            length = StrictUtf8.GetByteCount(topic);
        }
        catch (EncoderFallbackException)
        {
            error = "The topic name is not valid Unicode.";
            return false;
        }

        if (length is 0 or > MaxTopicLength)
        {
            error = $"A topic name is 1 to {MaxTopicLength} UTF-8 bytes, not {length}.";
            return false;
        }

        foreach (char c in topic)
        {
            if (char.IsControl(c))
            {
                error = "A topic name must not contain control characters.";
                return false;
            }
        }

        error = null;
        return true;
    }
}
