using System.CommandLine;
using System.Globalization;
using Synapse.Cli.Json;
using Synapse.Client;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Tasks;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse task start|get|cancel|answer|watch</c>: long-running tasks on a node (see <c>docs/tasks.md</c>).
/// <c>start</c> prints the task (or only its id with <c>--quiet</c>); <c>watch</c> prints each update as it arrives
/// and exits 0 when the task completed, 1 when it failed or was cancelled.
/// </summary>
internal static class TaskCommand
{
    public static Command Create(CliConsole console) =>
        new("task", "Start and follow long-running tasks on a Synapse node")
        {
            Start(console),
            Describe(console, "get", "Print a task as it stands", AgentTaskBuiltins.Get, (client, id, _, ct) => client.GetTaskAsync(id, ct)),
            Describe(console, "cancel", "Ask a task to stop and print it", AgentTaskBuiltins.Cancel, (client, id, _, ct) => client.CancelTaskAsync(id, ct)),
            Answer(console),
            Watch(console),
        };

    private static Command Start(CliConsole console)
    {
        var node = new NodeOptions();
        var endpoint = new Argument<string>("ENDPOINT") { Description = "The endpoint to run as a task, or _agent.ask" };
        var args = JsonArguments.Positional();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the task id" };
        var command = new Command("start", "Start an endpoint as a task and print it");
        node.AddTo(command);
        command.Arguments.Add(endpoint);
        command.Arguments.Add(args);
        command.Options.Add(quiet);
        command.SetAction((parse, cancellationToken) => RunAsync(node, parse, AgentTaskBuiltins.Start, async client =>
        {
            var values = JsonArguments.Values(parse, args);
            var task = await client.StartTaskAsync(parse.GetRequiredValue(endpoint), values, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(quiet))
            {
                console.Out.WriteLine(task.Id);
            }
            else
            {
                ResultPrinter.Print(task.ToMsgPack(), raw: false, console);
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Describe(CliConsole console, string name, string description, string builtin, Func<SynapseClient, string, MsgPackValue?, CancellationToken, Task<AgentTaskInfo>> act, Argument<string>? value = null)
    {
        var node = new NodeOptions();
        var id = TaskId();
        var command = new Command(name, description);
        node.AddTo(command);
        command.Arguments.Add(id);
        if (value is not null)
        {
            command.Arguments.Add(value);
        }

        command.SetAction((parse, cancellationToken) => RunAsync(node, parse, builtin, async client =>
        {
            var answer = value is null ? null : JsonArguments.Parse(parse.GetRequiredValue(value));
            ResultPrinter.Print((await act(client, parse.GetRequiredValue(id), answer, cancellationToken).ConfigureAwait(false)).ToMsgPack(), raw: false, console);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Answer(CliConsole console) =>
        Describe(console, "answer", "Answer the question of a task in input-required and print it", AgentTaskBuiltins.Input,
            (client, id, answer, ct) => client.AnswerTaskAsync(id, answer!, ct),
            new Argument<string>("VALUE") { Description = "The answer, parsed as JSON; text that is not JSON is sent as a string" });

    private static Command Watch(CliConsole console)
    {
        var node = new NodeOptions();
        var id = TaskId();
        var after = new Option<long>("--after") { Description = "Start after this update (its sequence number), e.g. the last one a previous watch printed", HelpName = "SEQ" };
        var json = new Option<bool>("--json") { Description = "Print each update as one line of JSON" };
        var command = new Command("watch", "Print a task's updates as they arrive, until it ends; exit 0 when it completed, 1 otherwise");
        node.AddTo(command);
        command.Arguments.Add(id);
        command.Options.Add(after);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(node, parse, AgentTaskBuiltins.Subscribe, async client =>
        {
            AgentTaskUpdate? last = null;
            await foreach (var update in client.WatchTaskAsync(parse.GetRequiredValue(id), parse.GetValue(after), cancellationToken).ConfigureAwait(false))
            {
                await console.WriteLineNowAsync(parse.GetValue(json) ? update.ToMsgPack().ToJson() : Line(update)).ConfigureAwait(false);
                last = update;
            }

            return last is null or { State: AgentTaskState.Completed } ? ExitCodes.Ok : ExitCodes.Failure;
        }, cancellationToken));
        return command;
    }

    /// <summary>One update as a line: its number, the task's state, and what it tells.</summary>
    private static string Line(AgentTaskUpdate update)
    {
        var head = $"#{update.Sequence.ToString(CultureInfo.InvariantCulture)} {update.State.ToWire()}";
        return update switch
        {
            { Kind: AgentTaskUpdateKind.Progress, Value: { } value } => $"{head} progress {value.ToJson()}",
            { Kind: AgentTaskUpdateKind.Item, Value: { } value } => $"{head} item {value.ToJson()}",
            { ErrorCode: { } code } => $"{head} {code}: {update.ErrorMessage}",
            { State: AgentTaskState.InputRequired } => $"{head} asks: {update.Prompt}",
            { State: AgentTaskState.Completed, Value: { } result } => $"{head} result {result.ToJson()}",
            { Kind: AgentTaskUpdateKind.Snapshot, Value: { } value } => $"{head} latest {value.ToJson()}",
            _ => head,
        };
    }

    private static Argument<string> TaskId() => new("TASK") { Description = "The task id that start printed" };

    private static async Task<int> RunAsync(NodeOptions node, ParseResult parse, string builtin, Func<SynapseClient, Task<int>> act, CancellationToken cancellationToken)
    {
        using var target = node.Read(parse);
        await using var client = target.CreateClient();
        try
        {
            return await act(client).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw RpcErrors.Describe(e, target.Address, builtin);
        }
    }
}
