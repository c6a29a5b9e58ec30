using Synapse;
using Synapse.MessagePack;

namespace ReviewerAgent;

/// <summary>A change submitted for review.</summary>
[SynapseMessage]
public sealed record ReviewRequest(string Repository, int PullRequest, List<string> Files, string? Notes = null);

/// <summary>How a review ended.</summary>
public enum Verdict
{
    Approve,
    RequestChanges,
}

/// <summary>The outcome of a review.</summary>
[SynapseMessage]
public sealed record ReviewResult(Verdict Verdict, List<string> Comments, DateTimeOffset ReviewedAt);

/// <summary>An agent that reviews pull requests.</summary>
[AgentNode(Name = "reviewer", Role = "code-review", Description = "Reviews pull requests", Capabilities = ["code-review"])]
[Capability("summarize", Description = "Summarizes a diff in one paragraph", InputSchema = """{"type":"object","properties":{"diff":{"type":"string"}}}""")]
public partial class Reviewer
{
    private int _reviews;
    private int _heartbeats;

    /// <summary>Reviews the files of a pull request.</summary>
    [Endpoint("review")]
    public async Task<ReviewResult> ReviewAsync(ReviewRequest request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _reviews);
        var comments = request.Files.Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)).Select(f => $"{f}: temporary file committed").ToList();
        return new ReviewResult(comments.Count == 0 ? Verdict.Approve : Verdict.RequestChanges, comments, DateTimeOffset.UtcNow);
    }

    /// <summary>How many reviews this agent has done.</summary>
    [Endpoint("stats", Publish = false)]
    public Dictionary<string, int> Stats() => new() { ["reviews"] = _reviews, ["heartbeats"] = _heartbeats };

    /// <summary>Answers free-form tasks sent to <c>_agent.ask</c>.</summary>
    [TaskHandler]
    public string Ask(string task, MsgPackValue? context) =>
        $"reviewer received '{task}'" + (context?["url"] is { } url ? $" about {url.AsString()}" : "");

    /// <summary>Keeps a heartbeat count; a real agent would refresh its registrations here.</summary>
    [Background(5)]
    public void Heartbeat() => Interlocked.Increment(ref _heartbeats);
}
