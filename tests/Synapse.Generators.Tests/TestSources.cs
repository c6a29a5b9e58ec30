namespace Synapse.Generators.Tests;

/// <summary>Source texts shared by the generator tests.</summary>
internal static class TestSources
{
    public const string Messages = """
        using System;
        using System.Collections.Generic;
        using Synapse;
        using Synapse.MessagePack;

        namespace Demo.Models;

        public enum Priority
        {
            Low,
            Normal,
            High = 10,
            Urgent = 10,
        }

        /// <summary>A review request.</summary>
        [SynapseMessage]
        public sealed record ReviewRequest(
            string Title,
            [property: MessageKey("body")] string? Body,
            Priority Priority = Priority.Normal,
            IReadOnlyList<string>? Labels = null)
        {
            public DateTimeOffset? Due { get; init; }

            public Dictionary<string, MsgPackValue> Extra { get; set; } = new();
        }

        [SynapseMessage]
        public class ReviewResult
        {
            public bool Approved { get; set; }

            public List<Comment> Comments { get; set; } = new();

            public Guid Id { get; init; }

            public byte[]? Patch { get; set; }

            public ReviewResult? Previous { get; set; }
        }

        [SynapseMessage]
        public struct Comment
        {
            public int Line { get; set; }

            public string? Text { get; set; }
        }
        """;

    public const string Node = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Synapse;
        using Synapse.Rpc;
        using Demo.Models;

        namespace Demo;

        /// <summary>Reviews   code
        /// changes.</summary>
        [AgentNode(Name = "reviewer", Role = "review", Capabilities = new[] { "code-review" })]
        [Capability("summaries", Description = "Summarizes a diff", InputSchema = "{\"type\":\"string\"}")]
        public partial class ReviewerNode
        {
            /// <summary>Adds <paramref name="a"/> and <paramref name="b"/>.</summary>
            /// <param name="a">The first addend.</param>
            [Endpoint("sum")]
            public int Sum(int a, int b) => a + b;

            [Endpoint("ping", Description = "Liveness check")]
            public void Ping()
            {
            }

            [Endpoint("review")]
            public Task<ReviewResult> ReviewAsync(ReviewRequest request, CancellationToken cancellationToken) =>
                Task.FromResult(new ReviewResult { Approved = request.Priority != Priority.Low });

            [Endpoint("notify")]
            public Task NotifyAsync(string message, CallContext context) => Task.CompletedTask;

            [Endpoint("scale")]
            public ValueTask<double> Scale(double value, double factor = 2.5, long offset = -1, Priority priority = Priority.High, string label = "x\"y") =>
                new(value * factor + offset);

            [Endpoint("flush")]
            public ValueTask Flush(CancellationToken cancellationToken = default) => default;

            [Endpoint("stats", Publish = false)]
            private Dictionary<string, int[]> Stats(List<Priority?> filter, IReadOnlyDictionary<string, Guid>? ids, byte[] blob, ReadOnlyMemory<byte> memory, DateTimeOffset at, float? ratio, ulong big, sbyte small) =>
                new();

            [TaskHandler]
            public Task<string> Ask(string question, Dictionary<string, string>? context = null) => Task.FromResult(question);

            [Background(30)]
            public Task RefreshAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            [Background(0.5)]
            public void Tick()
            {
            }
        }
        """;
}
