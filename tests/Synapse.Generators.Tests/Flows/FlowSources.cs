namespace Synapse.Generators.Tests.Flows;

/// <summary>Sources shared by the flow generator tests.</summary>
internal static class FlowSources
{
    public const string Triggers = """
        # the triggers of the sample flow
        ok
            match
        exit
            error
            match
        """;

    public const string Node = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Synapse;
        using Synapse.Flows;
        using Synapse.MessagePack;

        namespace Demo;

        [SynapseMessage]
        public sealed record Order(string Item, int Count);

        [AgentNode]
        [ArrowStyle("=", "{", "}", ";", ">")]
        public partial class FlowAgent
        {
            public bool Running { get; set; } = true;

            [Receive("--> ready")]
            public FlowEvent? Start(object? payload) => FlowEvent.Move(Trigger.ok);

            [Receive("ready --[ checking ]--> done, failed", Priority = new[] { 1 })]
            public async Task<FlowEvent?> Check(Order order, CancellationToken cancellationToken)
            {
                await Task.Yield();
                return order.Count > 0 ? FlowEvent.Move(Trigger.ok_match, order) : FlowEvent.Stay(Trigger.exit_match);
            }

            [Receive("/oneof(done, failed) ==> ready", Priority = new[] { 2, 1 })]
            public ValueTask<FlowEvent?> Again(string text) => new(FlowEvent.Test(Trigger.error));

            [Receive("/not(ready), /all")]
            public FlowEvent? Anywhere(MsgPackValue value) => null;

            [Send("ready --> done", OnTriggers = new[] { "ok.match", "exit" }, OnActions = FlowActions.Move | FlowActions.Stay, UseData = true)]
            public string Confirm(object? data) => "confirmed " + data;

            [Send("tick", Every = 1.5, RunWhile = nameof(Running))]
            public Task<object?> Tick() => Task.FromResult<object?>(new { kind = "tick" });

            [Send("", Multi = true)]
            public async ValueTask<IEnumerable<string>> Batch(CancellationToken cancellationToken)
            {
                await Task.Yield();
                return new[] { "a", "b" };
            }

            [Hook(HookDirection.Receive, Priority = new[] { 1 })]
            public object? Validate(object? payload) => payload;

            [Hook(HookDirection.Send)]
            public static Task<string?> Sign(string? payload) => Task.FromResult(payload is null ? null : payload + "!");

            [UploadStates]
            public object? Upload(object? payload) => new[] { "ready" };

            [DownloadStates]
            public void Download(StateTape states) => LastDownload = states;

            public StateTape? LastDownload { get; private set; }
        }
        """;
}
