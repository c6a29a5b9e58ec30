using Synapse.Flows;
using Synapse.MessagePack;

namespace Synapse.Generated.Tests.Flows;

[SynapseMessage]
public sealed record Order(string Item, int Count);

/// <summary>A node with every kind of flow member.</summary>
[AgentNode]
public partial class FlowAgent
{
    public bool Running { get; set; } = true;

    public List<string> Calls { get; } = [];

    public StateTape? LastDownload { get; private set; }

    [Receive("--> ready")]
    public FlowEvent? Start(object? payload)
    {
        Calls.Add("Start:" + payload);
        return FlowEvent.Move(Trigger.ok);
    }

    [Receive("ready --[ checking ]--> done, failed", Priority = [1])]
    public async Task<FlowEvent?> Check(Order order, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Calls.Add("Check:" + order.Item);
        return order.Count > 0 ? FlowEvent.Move(Trigger.ok_match, order) : FlowEvent.Stay(Trigger.exit_match);
    }

    [Receive("/oneof(done, failed) --> ready", Priority = [2, 1])]
    public ValueTask<FlowEvent?> Again(string? text) => new(text is null ? null : FlowEvent.Test(Trigger.error));

    [Receive("/not(ready), /all")]
    public FlowEvent? Anywhere(MsgPackValue value) => null;

    [Send("ready --> done", OnTriggers = ["ok.match", "exit"], OnActions = FlowActions.Move | FlowActions.Stay, UseData = true)]
    public string Confirm(Order data) => "confirmed " + data.Item;

    [Send("tick", Every = 1.5, RunWhile = nameof(Running))]
    public Task<object?> Tick() => Task.FromResult<object?>("tick");

    [Send("", Multi = true)]
    public async ValueTask<IEnumerable<string>> Batch(CancellationToken cancellationToken)
    {
        await Task.Yield();
        return ["a", "b"];
    }

    [Hook(HookDirection.Receive, Priority = [1])]
    public object? Validate(object? payload) => payload is "drop" ? null : payload;

    [Hook(HookDirection.Send)]
    public static Task<string?> Sign(string? payload) => Task.FromResult(payload is null ? null : payload + "!");

    [UploadStates]
    public object? Upload(object? payload) => new[] { "ready" };

    [DownloadStates]
    public void Download(StateTape states) => LastDownload = states;
}
