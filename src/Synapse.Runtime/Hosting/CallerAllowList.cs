using Synapse.Identity;

namespace Synapse.Hosting;

/// <summary>
/// The check of <see cref="AgentHostOptions.AllowedCallers"/>: an endpoint listed there may be called only over a
/// link whose proven agent id is in its set; endpoints not listed are open to everyone.
/// </summary>
internal static class CallerAllowList
{
    /// <summary>Whether the caller with <paramref name="peerId"/> (<c>null</c>: not proved) may call <paramref name="endpoint"/>.</summary>
    public static bool Allows(IReadOnlyDictionary<string, HashSet<AgentId>> allowedCallers, string endpoint, string? peerId)
    {
        if (allowedCallers.Count == 0 || !allowedCallers.TryGetValue(endpoint, out var allowed))
        {
            return true;
        }

        return peerId is { } peer && AgentId.TryParse(peer, out var id, out _) && allowed.Contains(id);
    }

    /// <summary>The <c>forbidden</c> error's message.</summary>
    public static string Refusal(string endpoint, string? peerId) => $"{peerId ?? "an anonymous caller"} may not call {endpoint}";
}
