using Microsoft.Extensions.AI;
using Synapse.Swarm;

namespace Synapse.AI.Swarm;

/// <summary>
/// A swarm conversation summariser backed by an LLM: set <see cref="Create"/>'s result as
/// <see cref="SwarmOptions.Summarizer"/>, and compactions fold older events into what the model writes. The model reads
/// synapse-p2p's digest of the events (<see cref="SwarmSummaries.DefaultAsync"/>: who said what, bounded in size), so
/// the prompt stays small however long the conversation; an empty answer keeps the digest.
/// </summary>
public static class ChatClientSummarizer
{
    /// <summary>What the model is told, unless <see cref="Create"/> is given other instructions.</summary>
    public const string DefaultInstructions =
        "You summarise part of a conversation between AI agents so that they can carry on without it. " +
        "Keep decisions, results, open questions and who is doing what; drop pleasantries. Answer with the summary only.";

    /// <summary>A summariser that asks <paramref name="client"/> for each compaction's text.</summary>
    /// <param name="client">The model.</param>
    /// <param name="instructions">The system message; <see cref="DefaultInstructions"/> when <c>null</c>.</param>
    /// <param name="options">Chat options (model id, temperature, <c>MaxOutputTokens</c>…), passed on each request.</param>
    /// <returns>The summariser. A failing request fails the compaction, which the node logs (the conversation stays as it was).</returns>
    public static ConversationSummarizer Create(IChatClient client, string? instructions = null, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var system = instructions ?? DefaultInstructions;
        return async (events, cancellationToken) =>
        {
            var digest = await SwarmSummaries.DefaultAsync(events, cancellationToken).ConfigureAwait(false);
            var response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, digest)],
                options,
                cancellationToken).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(response.Text) ? digest : response.Text.Trim();
        };
    }
}
