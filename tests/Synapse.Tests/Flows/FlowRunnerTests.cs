using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Synapse.Flows;
using Xunit;

namespace Synapse.Tests.Flows;

public sealed class FlowRunnerTests
{
    private static readonly Signal Ok = new([0], "ok", "ok");
    private static readonly Signal Error = new([1], "error", "error");

    private static StateNode S(string name) => StateNode.State(name);

    private static FlowReceiver<Agent> Receiver(string name, FlowRoute route, Func<Agent, object?, FlowEvent?> body, params int[] priority) =>
        new(name, route, priority, (agent, payload, _) =>
        {
            agent.Calls.Enqueue(name);
            return ValueTask.FromResult(body(agent, payload));
        });

    private static FlowSender<Agent> Sender(string name, FlowRoute route, Func<Agent, object?, object?> body, Signal[]? triggers = null, FlowActions actions = FlowActions.None, bool useData = false, bool multi = false, TimeSpan? every = null) =>
        new(name, route, triggers ?? [], actions, multi, useData, every, null, (agent, data, _) => ValueTask.FromResult(body(agent, data)));

    [Fact]
    public async Task Receivers_fire_on_the_states_their_gates_accept_and_initial_ones_always()
    {
        var flow = new FlowDefinition<Agent>
        {
            Receivers =
            [
                Receiver("go", FlowRoute.Arrow([S("ready")], [], [S("action")]), (_, _) => FlowEvent.Move(Ok)),
                Receiver("never", FlowRoute.Arrow([StateNode.Not("ready")], [], [S("x")]), (_, _) => FlowEvent.Move(Ok)),
                Receiver("start", FlowRoute.Arrow([], [], [S("begin")]), (_, _) => FlowEvent.Stay(Ok)),
                Receiver("objects", FlowRoute.Objects(S("ready"), StateNode.OneOf("ready", "idle")), (_, _) => FlowEvent.Stay(Ok)),
            ],
            Senders = [],
            UploadStates = (_, _, _) => ValueTask.FromResult<object?>("ready"),
            DownloadStates = (agent, tape, _) =>
            {
                agent.Downloads.Enqueue(string.Join(" ", tape.Describe()));
                return ValueTask.CompletedTask;
            },
        };
        var agent = new Agent();
        var transitions = await new FlowRunner<Agent>(agent, flow, (_, _) => ValueTask.CompletedTask).HandleAsync("hello");

        Assert.Equal(["go", "objects", "objects", "start"], agent.Calls.Order());
        Assert.Equal(4, transitions.Count);
        Assert.Equal("action ready /oneof(ready,idle)", Assert.Single(agent.Downloads)); // move → target; stay on objects → the objects (each once)
        var go = transitions.Single(t => t.Receiver == "go");
        Assert.Equal([S("ready")], go.StatesBefore);
        Assert.Equal([S("action")], go.StatesAfter);
        Assert.Empty(transitions.Single(t => t.Receiver == "start").StatesAfter); // a stay on an initial route has no source
    }

    [Fact]
    public async Task Without_uploaded_states_the_runner_keeps_them_and_moves_them_message_by_message()
    {
        var flow = new FlowDefinition<Agent>
        {
            Receivers =
            [
                Receiver("start", FlowRoute.Arrow([S("idle")], [], [S("busy")]), (_, _) => FlowEvent.Move(Ok)),
                Receiver("finish", FlowRoute.Arrow([S("busy")], [], [S("idle")]), (_, payload) => payload is "done" ? FlowEvent.Move(Ok) : FlowEvent.Stay(Ok)),
            ],
            Senders = [],
        };
        var states = new FlowStates("idle");
        var agent = new Agent();
        var runner = new FlowRunner<Agent>(agent, flow, (_, _) => ValueTask.CompletedTask, new FlowRunnerOptions { States = states });
        await runner.HandleAsync("go");
        Assert.Equal(["busy"], states.Describe());
        await runner.HandleAsync("not yet");
        Assert.Equal(["busy"], states.Describe());
        await runner.HandleAsync("done");
        Assert.Equal(["idle"], states.Describe());
        Assert.Equal(["start", "finish", "finish"], agent.Calls);
    }

    [Fact]
    public async Task A_flow_without_senders_keeps_no_events_so_handling_never_waits_for_them()
    {
        var flow = new FlowDefinition<Agent>
        {
            Receivers = [Receiver("r", FlowRoute.Arrow([], [], [S("x")]), (_, _) => FlowEvent.Move(Ok))],
            Senders = [],
        };
        var runner = new FlowRunner<Agent>(new Agent(), flow, (_, _) => ValueTask.CompletedTask, new FlowRunnerOptions { EventBridgeCapacity = 2 });
        for (var i = 0; i < 10; i++)
        {
            await runner.HandleAsync(i).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Batches_run_in_priority_order_with_states_downloaded_after_each()
    {
        var flow = new FlowDefinition<Agent>
        {
            Receivers =
            [
                Receiver("late", FlowRoute.Arrow([S("a")], [S("t")], [S("c")]), (_, _) => FlowEvent.Test(Ok), 2),
                Receiver("first", FlowRoute.Arrow([S("a")], [], [S("b")]), (_, _) => FlowEvent.Move(Ok)),
                Receiver("second", FlowRoute.Arrow([S("a")], [], [S("d")]), (_, _) => FlowEvent.Move(Ok), 1),
            ],
            Senders = [],
            UploadStates = (_, _, _) => ValueTask.FromResult<object?>(new Dictionary<string, object> { ["k"] = "a" }),
            DownloadStates = (agent, tape, _) =>
            {
                agent.Downloads.Enqueue(string.Join(" ", tape.Describe()));
                return ValueTask.CompletedTask;
            },
        };
        var agent = new Agent();
        await new FlowRunner<Agent>(agent, flow, (_, _) => ValueTask.CompletedTask).HandleAsync(null);
        Assert.Equal(["first", "second", "late"], agent.Calls);
        Assert.Equal(["k:b", "k:d", "k:t"], agent.Downloads); // a test reaches only the labels
    }

    [Fact]
    public async Task A_throwing_receiver_is_isolated_and_its_batch_goes_on()
    {
        var logs = new ListLoggerFactory();
        var flow = new FlowDefinition<Agent>
        {
            Receivers =
            [
                Receiver("boom", FlowRoute.Arrow([S("a")], [], [S("x")]), (_, _) => throw new InvalidOperationException("receiver bug")),
                Receiver("fine", FlowRoute.Arrow([S("a")], [], [S("b")]), (_, _) => FlowEvent.Move(Ok)),
            ],
            Senders = [],
            UploadStates = (_, _, _) => ValueTask.FromResult<object?>("a"),
        };
        var transitions = await new FlowRunner<Agent>(new Agent(), flow, (_, _) => ValueTask.CompletedTask, loggerFactory: logs).HandleAsync(null);
        Assert.Equal("fine", Assert.Single(transitions).Receiver);
        var failure = Assert.Single(logs.Entries);
        Assert.Equal(("Synapse.Flows.FlowRunner", 400, LogLevel.Error), (failure.Category, failure.EventId.Id, failure.Level));
        Assert.Contains("boom failed", failure.Message);
        Assert.Equal("receiver bug", failure.Exception?.Message);
    }

    [Fact]
    public async Task Receive_hooks_can_drop_a_message_and_a_failing_hook_lets_it_through()
    {
        var dropped = new FlowDefinition<Agent>
        {
            Receivers = [Receiver("r", FlowRoute.Objects(S("a")), (_, _) => FlowEvent.Stay(Ok))],
            Senders = [],
            Hooks =
            [
                new(HookDirection.Receive, [1], (_, payload, _) => throw new InvalidOperationException("hook bug")),
                new(HookDirection.Receive, [0], (_, payload, _) => ValueTask.FromResult(payload is "drop me" ? null : payload)),
            ],
        };
        var agent = new Agent();
        var runner = new FlowRunner<Agent>(agent, dropped, (_, _) => ValueTask.CompletedTask);
        Assert.Empty(await runner.HandleAsync("drop me"));
        Assert.Single(await runner.HandleAsync("keep me"));
    }

    [Fact]
    public async Task Reactive_senders_answer_matching_events_once_per_round_or_once_per_event_with_data()
    {
        var sent = new ConcurrentQueue<object>();
        var flow = new FlowDefinition<Agent>
        {
            Receivers = [Receiver("r", FlowRoute.Arrow([S("ready")], [], [S("action"), S("other")]), (_, payload) => FlowEvent.Move(Ok, payload))],
            Senders =
            [
                Sender("once", FlowRoute.Arrow([S("ready")], [], [S("action")]), (_, _) => "once", [Ok]),
                Sender("each", FlowRoute.Arrow([StateNode.All], [], [S("action")]), (_, data) => $"each {data}", [Ok], useData: true),
                Sender("on error", FlowRoute.Arrow([S("ready")], [], [S("action")]), (_, _) => "error", [Error]),
                Sender("on stay", FlowRoute.Objects(), (_, _) => "stay", actions: FlowActions.Stay),
                Sender("too narrow", FlowRoute.Arrow([S("ready")], [], [S("action"), S("elsewhere")]), (_, _) => "narrow", [Ok]),
            ],
            UploadStates = (_, _, _) => ValueTask.FromResult<object?>("ready"),
        };
        var runner = new FlowRunner<Agent>(new Agent(), flow, (payload, _) =>
        {
            sent.Enqueue(payload);
            return ValueTask.CompletedTask;
        });
        await runner.HandleAsync("m1");
        await runner.HandleAsync("m2");
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);
        await WaitUntilAsync(() => sent.Count >= 3);
        await Task.Delay(300); // nothing more may come: the other senders do not match
        await stop.CancelAsync();
        await running;
        Assert.Equal(["each m1", "each m2", "once"], sent.Select(payload => (string)payload).Order());
    }

    [Fact]
    public async Task Multi_senders_send_each_item_and_send_hooks_can_change_or_drop_them()
    {
        var sent = new ConcurrentQueue<object>();
        var flow = new FlowDefinition<Agent>
        {
            Receivers = [],
            Senders = [Sender("batch", FlowRoute.Objects(), (_, _) => new[] { "a", "secret", "b" }, multi: true, every: TimeSpan.FromHours(1))],
            Hooks = [new(HookDirection.Send, [], (_, payload, _) => ValueTask.FromResult<object?>(payload is "secret" ? null : $"<{payload}>"))],
        };
        var runner = new FlowRunner<Agent>(new Agent(), flow, (payload, _) =>
        {
            sent.Enqueue(payload);
            return ValueTask.CompletedTask;
        });
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);
        await WaitUntilAsync(() => sent.Count >= 2);
        await stop.CancelAsync();
        await running;
        Assert.Equal(["<a>", "<b>"], sent);
    }

    [Fact]
    public async Task A_timed_sender_slower_than_its_period_does_not_starve_the_flow()
    {
        var slowRuns = 0;
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var flow = new FlowDefinition<Agent>
        {
            Receivers = [Receiver("r", FlowRoute.Arrow([], [], [S("go")]), (_, _) => FlowEvent.Move(Ok))],
            Senders =
            [
                new("slow", FlowRoute.Objects(), [], FlowActions.None, false, false, TimeSpan.FromMilliseconds(1), null, async (_, _, ct) =>
                {
                    Interlocked.Increment(ref slowRuns);
                    await Task.Delay(50, ct);
                    return null;
                }),
                Sender("reply", FlowRoute.Arrow([], [], [S("go")]), (_, _) =>
                {
                    answered.TrySetResult();
                    return null;
                }, [Ok]),
            ],
        };
        var runner = new FlowRunner<Agent>(new Agent(), flow, (_, _) => ValueTask.CompletedTask);
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);
        await WaitUntilAsync(() => Volatile.Read(ref slowRuns) >= 2);
        await runner.HandleAsync("ping").AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Transitions_are_recorded_before_the_states_are_downloaded()
    {
        var order = new ConcurrentQueue<string>();
        var flow = new FlowDefinition<Agent>
        {
            Receivers = [Receiver("r", FlowRoute.Arrow([S("a")], [S("t")], [S("b")]), (_, _) => FlowEvent.Move(Ok, 42))],
            Senders = [],
            UploadStates = (_, _, _) => ValueTask.FromResult<object?>(new[] { "a", "z" }),
            DownloadStates = (_, tape, _) =>
            {
                order.Enqueue("download " + string.Join(" ", tape.Describe()));
                return ValueTask.CompletedTask;
            },
        };
        var recorder = new Recorder(order);
        var context = new FlowMessageContext(Guid.NewGuid(), "bob", new byte[] { 1, 2 });
        await new FlowRunner<Agent>(new Agent(), flow, (_, _) => ValueTask.CompletedTask, new FlowRunnerOptions { Recorder = recorder }).HandleAsync("m", context);
        Assert.Equal(["record r a->t,b ok", "download t b"], order);
        Assert.Same(context, Assert.Single(recorder.Transitions).Message);
    }

    [Theory]
    [InlineData("A", "A --> B", true)]
    [InlineData("/all --> B", "A --> B", true)]
    [InlineData("--> B", "A --> B", true)]
    [InlineData("", "A --> B", true)]
    [InlineData("A --> B", "A --> B, C", true)]
    [InlineData("A --> B, C", "A --> B", false)]
    [InlineData("/not(A) --> B", "A --> B", false)]
    public void Sender_routes_accept_receiver_routes_as_summoner_does(string sender, string receiver, bool accepts) =>
        Assert.Equal(accepts, Route(sender).Accepts(Route(receiver)));

    /// <summary>Enough of the route grammar for these tests (the generator parses real routes at compile time).</summary>
    private static FlowRoute Route(string text)
    {
        static StateNode[] Nodes(string part) => [.. part.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Node)];
        static StateNode Node(string token) => token switch
        {
            "/all" => StateNode.All,
            _ when token.StartsWith("/not(", StringComparison.Ordinal) => StateNode.Not(token[5..^1].Split(',')),
            _ => StateNode.State(token),
        };
        var arrow = text.IndexOf("-->", StringComparison.Ordinal);
        return arrow < 0 ? FlowRoute.Objects(Nodes(text)) : FlowRoute.Arrow(Nodes(text[..arrow]), [], Nodes(text[(arrow + 3)..]));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    internal sealed class Agent
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public ConcurrentQueue<string> Downloads { get; } = new();
    }

    private sealed class Recorder(ConcurrentQueue<string> order) : IFlowRecorder
    {
        public ConcurrentQueue<FlowTransition> Transitions { get; } = new();

        public ReadOnlyMemory<byte> LatestHash => default;

        public ValueTask RecordAsync(FlowTransition transition, CancellationToken cancellationToken)
        {
            Transitions.Enqueue(transition);
            order.Enqueue($"record {transition.Receiver} {string.Join(",", transition.StatesBefore)}->{string.Join(",", transition.StatesAfter)} {transition.Event.Trigger}");
            return ValueTask.CompletedTask;
        }
    }
}
