using Synapse.Flows;
using Synapse.MessagePack;

namespace Synapse.Generated.Tests.Flows;

/// <summary>Runs the flow table the generator compiled for <see cref="FlowAgent"/>.</summary>
public class FlowDefinitionTests
{
    private static FlowDefinition<FlowAgent> Flow => FlowOf<FlowAgent>();

    [Fact]
    public void The_node_implements_IFlowNode_with_one_definition()
    {
        Assert.Same(FlowAgent.Flow, FlowOf<FlowAgent>());
        Assert.Equal(["Start", "Check", "Again", "Anywhere"], Flow.Receivers.Select(r => r.Name));
        Assert.Equal(["Confirm", "Tick", "Batch"], Flow.Senders.Select(s => s.Name));
    }

    [Fact]
    public void Routes_are_built_at_compile_time_in_canonical_form()
    {
        Assert.Equal(
            ["--[]-->ready", "ready--[checking]-->done,failed", "/oneof(done,failed)--[]-->ready", "/not(ready),/all"],
            Flow.Receivers.Select(r => r.Route.Canonical));
        Assert.True(Flow.Receivers[0].Route.IsInitial);
        Assert.False(Flow.Receivers[3].Route.IsArrow);
        Assert.Equal(["ready--[]-->done", "tick", ""], Flow.Senders.Select(s => s.Route.Canonical));
    }

    [Fact]
    public void Priorities_triggers_and_sender_options()
    {
        Assert.Equal([[], [1], [2, 1], []], Flow.Receivers.Select(r => r.Priority));
        var confirm = Flow.Senders[0];
        Assert.Equal([Trigger.ok_match, Trigger.exit], confirm.OnTriggers);
        Assert.Equal("ok.match", confirm.OnTriggers[0].QualifiedName);
        Assert.Equal([0, 0], confirm.OnTriggers[0].Path);
        Assert.Equal(FlowActions.Move | FlowActions.Stay, confirm.OnActions);
        Assert.True(confirm.UseData);
        Assert.True(confirm.IsReactive);

        var tick = Flow.Senders[1];
        Assert.False(tick.IsReactive);
        Assert.Equal(TimeSpan.FromSeconds(1.5), tick.Every);
        var agent = new FlowAgent();
        Assert.True(tick.RunWhile!(agent));
        agent.Running = false;
        Assert.False(tick.RunWhile!(agent));
        Assert.True(Flow.Senders[2].Multi);
        Assert.Null(Flow.Senders[2].Every);
    }

    [Fact]
    public void Trigger_fields_follow_the_TRIGGERS_file()
    {
        Assert.Equal([1], Trigger.exit.Path);
        Assert.Equal([1, 0], Trigger.error.Path);
        Assert.Equal("exit.match", Trigger.exit_match.QualifiedName);
        Assert.Equal("match", Trigger.exit_match.Name);
        Assert.True(Trigger.ok.IsAncestorOf(Trigger.ok_match));
        Assert.NotEqual(Trigger.ok_match, Trigger.exit_match);
    }

    [Fact]
    public void Trigger_NameOf_gives_the_name_at_a_path()
    {
        Assert.Equal("ok", Trigger.NameOf(0));
        Assert.Equal("match", Trigger.NameOf(0, 0));
        Assert.Equal("exit", Trigger.NameOf(1));
        Assert.Equal("error", Trigger.NameOf(1, 0));
        Assert.Equal("match", Trigger.NameOf(1, 1));
        Assert.Null(Trigger.NameOf(0, 1));
        Assert.Null(Trigger.NameOf(2));
        Assert.Null(Trigger.NameOf(0, 0, 0));
        Assert.Null(Trigger.NameOf());
        Assert.Throws<ArgumentNullException>(() => Trigger.NameOf(null!));

        // Every field round-trips: the name at a signal's path is the signal's name.
        var signals = typeof(Trigger).GetFields().Select(field => (Signal)field.GetValue(null)!).ToList();
        Assert.Equal(5, signals.Count);
        Assert.All(signals, signal => Assert.Equal(signal.Name, Trigger.NameOf([.. signal.Path])));
    }

    [Fact]
    public async Task Receivers_call_the_methods_and_await_them()
    {
        var agent = new FlowAgent();

        var start = await Flow.Receivers[0].Invoke(agent, "hello", CancellationToken.None);
        var check = await Flow.Receivers[1].Invoke(agent, new Order("book", 2), CancellationToken.None);
        var stay = await Flow.Receivers[1].Invoke(agent, new Order("none", 0), CancellationToken.None);
        var again = await Flow.Receivers[2].Invoke(agent, null, CancellationToken.None);
        var any = await Flow.Receivers[3].Invoke(agent, MsgPackValue.Nil, CancellationToken.None);

        Assert.Equal(FlowActions.Move, start!.Action);
        Assert.Equal(Trigger.ok, start.Trigger);
        Assert.Equal(Trigger.ok_match, check!.Trigger);
        Assert.Equal(new Order("book", 2), check.Data);
        Assert.Equal(FlowActions.Stay, stay!.Action);
        Assert.Null(again);
        Assert.Null(any);
        Assert.Equal(["Start:hello", "Check:book", "Check:none"], agent.Calls);
    }

    [Fact]
    public async Task A_payload_of_the_wrong_type_names_the_method()
    {
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => Flow.Receivers[1].Invoke(new FlowAgent(), "not an order", CancellationToken.None).AsTask());

        Assert.Contains("FlowAgent.Check", error.Message, StringComparison.Ordinal);
        Assert.Contains("Order", error.Message, StringComparison.Ordinal);
        Assert.Contains("System.String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Senders_hooks_and_state_methods()
    {
        var agent = new FlowAgent();

        Assert.Equal("confirmed pen", await Flow.Senders[0].Invoke(agent, new Order("pen", 1), CancellationToken.None));
        Assert.Equal("tick", await Flow.Senders[1].Invoke(agent, null, CancellationToken.None));
        Assert.Equal(["a", "b"], Assert.IsAssignableFrom<IEnumerable<string>>(await Flow.Senders[2].Invoke(agent, null, CancellationToken.None)));

        var send = Flow.Hooks.Single(h => h.Direction == HookDirection.Send);
        var receive = Flow.Hooks.Single(h => h.Direction == HookDirection.Receive);
        Assert.Equal("x!", await send.Invoke(agent, "x", CancellationToken.None));
        Assert.Null(await send.Invoke(agent, null, CancellationToken.None));
        Assert.Null(await receive.Invoke(agent, "drop", CancellationToken.None));
        Assert.Equal([1], receive.Priority);

        Assert.Equal(["ready"], Assert.IsType<string[]>(await Flow.UploadStates!(agent, "m", CancellationToken.None)));
        var tape = StateTape.From("ready");
        await Flow.DownloadStates!(agent, tape, CancellationToken.None);
        Assert.Same(tape, agent.LastDownload);
    }

    [Fact]
    public void Route_acceptance_matches_summoner()
    {
        var aToB = Arrow([StateNode.State("A")], [StateNode.State("B")]);
        Assert.True(FlowRoute.Objects(StateNode.State("A")).Accepts(aToB));
        Assert.True(Arrow([StateNode.All], [StateNode.State("B")]).Accepts(aToB));
        Assert.True(Arrow([], [StateNode.State("B")]).Accepts(aToB));
        Assert.True(FlowRoute.Objects().Accepts(aToB));
        Assert.True(aToB.Accepts(Arrow([StateNode.State("A")], [StateNode.State("B"), StateNode.State("C")])));
        Assert.False(Arrow([StateNode.State("A")], [StateNode.State("B"), StateNode.State("C")]).Accepts(aToB));
        Assert.False(Arrow([StateNode.Not("A")], [StateNode.State("B")]).Accepts(aToB));

        // The generated sender "ready --> done" reacts to the generated receiver "ready --[ checking ]--> done, failed".
        Assert.True(Flow.Senders[0].Route.Accepts(Flow.Receivers[1].Route));
        Assert.False(Flow.Senders[0].Route.Accepts(Flow.Receivers[2].Route));
    }

    private static FlowRoute Arrow(StateNode[] sources, StateNode[] targets) => FlowRoute.Arrow(sources, [], targets);

    private static FlowDefinition<T> FlowOf<T>()
        where T : IFlowNode<T> => T.Flow;
}
