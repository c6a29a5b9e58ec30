using System.Buffers.Text;
using Synapse.Crypto;
using Synapse.Identity;

namespace Synapse.Discovery;

/// <summary>
/// A search of an agent directory. Every criterion set must match (case-insensitively): <see cref="Capability"/>
/// and <see cref="Role"/> exactly, <see cref="Name"/> and <see cref="Text"/> as substrings. Results come in pages
/// ordered by agent id; pass <see cref="AgentPage.NextPageToken"/> as <see cref="PageToken"/> for the next one.
/// </summary>
public sealed record AgentQuery
{
    /// <summary>The largest page a directory returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>The page size when none is given.</summary>
    public const int DefaultPageSize = 20;

    /// <summary>The longest criterion, in characters.</summary>
    public const int MaxCriterionLength = AgentCardLimits.MaxNameLength;

    /// <summary>A capability the agent must list, e.g. <c>code-review</c>.</summary>
    public string? Capability { get; init; }

    /// <summary>The agent's role.</summary>
    public string? Role { get; init; }

    /// <summary>Text the agent's name contains.</summary>
    public string? Name { get; init; }

    /// <summary>Text the name, the description or a capability name contains.</summary>
    public string? Text { get; init; }

    /// <summary>How many cards a page holds at most (1 to <see cref="MaxPageSize"/>; larger sizes are cut to it).</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Where to continue: the previous page's <see cref="AgentPage.NextPageToken"/>, or null for the first page.</summary>
    public string? PageToken { get; init; }

    /// <summary>The page size the directory uses: <see cref="PageSize"/> kept within 1 to <see cref="MaxPageSize"/>.</summary>
    public int EffectivePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    /// <summary>Checks the criteria's lengths and the page token.</summary>
    /// <exception cref="ArgumentException">A criterion is too long or the token is not one a directory gave.</exception>
    public void Validate()
    {
        foreach (string? criterion in (string?[])[Capability, Role, Name, Text])
        {
            if (criterion?.Length > MaxCriterionLength)
            {
                throw new ArgumentException($"A query criterion is {criterion.Length} characters (at most {MaxCriterionLength}).");
            }
        }

        _ = DecodeToken(PageToken);
    }

    /// <summary>Whether <paramref name="card"/> matches every criterion set.</summary>
    /// <param name="card">The card.</param>
    /// <returns>Whether it matches.</returns>
    public bool Matches(AgentCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        const StringComparison Ignore = StringComparison.OrdinalIgnoreCase;
        if (!string.IsNullOrEmpty(Capability) && !card.Capabilities.Any(c => string.Equals(c.Name, Capability, Ignore)))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(Role) && !string.Equals(card.Role, Role, Ignore))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(Name) && !card.Name.Contains(Name, Ignore))
        {
            return false;
        }

        return string.IsNullOrEmpty(Text)
            || card.Name.Contains(Text, Ignore)
            || card.Description.Contains(Text, Ignore)
            || card.Capabilities.Any(c => c.Name.Contains(Text, Ignore));
    }

    /// <summary>The token that continues after <paramref name="last"/>: its key, base64url.</summary>
    internal static string EncodeToken(AgentId last) => Base64Url.EncodeToString(last.PublicKey);

    /// <summary>The agent id a token continues after, or the default id for the first page.</summary>
    internal static AgentId DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return default;
        }

        byte[] key = new byte[Ed25519.PublicKeySize + 3];
        if (token.Length > 64 || !Base64Url.IsValid(token, out int length) || length != Ed25519.PublicKeySize
            || !Base64Url.TryDecodeFromChars(token, key, out int written) || written != Ed25519.PublicKeySize)
        {
            throw new ArgumentException("The page token is not one a directory gave.");
        }

        return AgentId.FromPublicKey(key.AsSpan(0, written));
    }
}

/// <summary>One page of a directory's answer.</summary>
/// <param name="Cards">The matching cards, ordered by agent id.</param>
/// <param name="NextPageToken">Where the next page starts, or null when this is the last.</param>
public sealed record AgentPage(IReadOnlyList<AgentCard> Cards, string? NextPageToken);
