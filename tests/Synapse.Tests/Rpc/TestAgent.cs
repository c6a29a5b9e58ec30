using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Scheduling;

namespace Synapse.Tests.Rpc;

/// <summary>
/// A hand-written agent, so the runtime is tested independently of the generator: sum, fail, slow, echo,
/// and a task handler when <see cref="WithTaskHandler"/> is set.
/// </summary>
internal sealed class TestAgent(bool withTaskHandler = false) : IAgentNode
{
    public bool WithTaskHandler { get; } = withTaskHandler;

    public TaskCompletionSource<bool> SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int BackgroundRuns;

    /// <summary>When set, the task handler never answers (it waits until the call is cancelled): a silent swarm peer.</summary>
    public bool StallTasks { get; set; }

    /// <summary>When set, the agent's own <c>synapse.ask</c> endpoint (the echo) answers at once instead of the built-in, which defers.</summary>
    public bool AnswersAsksDirectly { get; set; }

    public AgentDispatcher CreateDispatcher() => new Dispatcher(this);

    private sealed class Dispatcher(TestAgent agent) : AgentDispatcher
    {
        private static readonly string[] SumParameters = ["a", "b"];

        public override AgentDescriptor Descriptor { get; } = new(
            "tester",
            "testing",
            "A hand-written test agent",
            [
                new("sum", true, "Adds two integers", """{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"}},"required":["a","b"]}""", """{"type":"integer"}"""),
                new("fail", true, "", "{}", "{}"),
                new("slow", false, "", "{}", "{}"),
                new("echo", true, "", "{}", "{}"),
                new("whoami", false, "", "{}", "{}"),
            ],
            [new("code-review", "Reviews code", "{}", "{}")],
            [new("tick", Schedule.Every(TimeSpan.FromMilliseconds(20)))],
            agent.WithTaskHandler ? 5 : -1);

        public override int FindEndpoint(ReadOnlySpan<byte> utf8Name) =>
            utf8Name.SequenceEqual("sum"u8) ? 0
            : utf8Name.SequenceEqual("fail"u8) ? 1
            : utf8Name.SequenceEqual("slow"u8) ? 2
            : utf8Name.SequenceEqual("echo"u8) ? 3
            : utf8Name.SequenceEqual("whoami"u8) ? 4
            : agent.AnswersAsksDirectly && utf8Name.SequenceEqual("synapse.ask"u8) ? 3
            : -1;

        public override ValueTask InvokeAsync(int target, RpcInvocation call)
        {
            switch (target)
            {
                case 0:
                    var (a, b) = BindSum(call);
                    var writer = call.BeginResult();
                    writer.WriteInt64(a + b);
                    call.EndResult(ref writer);
                    return default;
                case 1:
                    throw new InvalidOperationException("kaboom");
                case 2:
                    return SlowAsync(BindOne(call).AsInt64(), call);
                case 4:
                    var who = call.BeginResult();
                    who.WriteString(call.Context.PeerId);
                    call.EndResult(ref who);
                    return default;
                case 3:
                case 5:
                    var value = BindOne(call);
                    if (target == 5 && agent.StallTasks)
                    {
                        return StallAsync(call.CancellationToken);
                    }

                    if (target == 5 && value == "explode")
                    {
                        throw new InvalidOperationException("task exploded");
                    }

                    var echo = call.BeginResult();
                    value.WriteTo(ref echo);
                    call.EndResult(ref echo);
                    return default;
                default:
                    throw new ArgumentOutOfRangeException(nameof(target));
            }
        }

        public override Task RunBackgroundJobAsync(int index, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref agent.BackgroundRuns) == 2)
            {
                throw new InvalidOperationException("second run fails; the schedule goes on");
            }

            return Task.CompletedTask;
        }

        private static async ValueTask StallAsync(CancellationToken cancellationToken) =>
            await Task.Delay(Timeout.Infinite, cancellationToken);

        private async ValueTask SlowAsync(long milliseconds, RpcInvocation call)
        {
            var token = call.CancellationToken;
            agent.SlowStarted.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), token);
            }
            catch (OperationCanceledException)
            {
                agent.SlowCancelled.TrySetResult(true);
                throw;
            }

            var writer = call.BeginResult();
            writer.WriteInt64(milliseconds);
            call.EndResult(ref writer);
        }

        private static (long A, long B) BindSum(RpcInvocation call)
        {
            long a = 0, b = 0;
            ulong bound = 0;
            var reader = new MsgPackReader(call.Arguments, call.ReaderOptions);
            var positional = RpcBinder.ReadPositionalCount(ref reader, "sum", 2);
            if (positional > 0)
            {
                a = reader.ReadInt64();
                bound |= 1;
            }

            if (positional > 1)
            {
                b = reader.ReadInt64();
                bound |= 2;
            }

            var keywords = new MsgPackReader(call.KeywordArguments, call.ReaderOptions);
            var count = RpcBinder.ReadKeywordCount(ref keywords);
            for (var i = 0; i < count; i++)
            {
                var key = RpcBinder.ReadKeyword(ref keywords);
                if (key.SequenceEqual("a"u8))
                {
                    a = keywords.ReadInt64();
                    bound |= 1;
                }
                else if (key.SequenceEqual("b"u8))
                {
                    b = keywords.ReadInt64();
                    bound |= 2;
                }
                else
                {
                    throw RpcBinder.UnexpectedKeyword("sum", key);
                }
            }

            if (bound != 3)
            {
                throw RpcBinder.Missing("sum", SumParameters, 3, bound);
            }

            return (a, b);
        }

        private static MsgPackValue BindOne(RpcInvocation call)
        {
            var reader = new MsgPackReader(call.Arguments, call.ReaderOptions);
            if (RpcBinder.ReadPositionalCount(ref reader, "one", 2) == 0)
            {
                throw RpcBinder.Missing("one", ["value"], 1, 0);
            }

            return MsgPackValue.ReadFrom(ref reader);
        }
    }
}
