using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Tasks;

/// <summary>
/// The task built-ins: <c>_synapse.task.start(endpoint, args, kwargs)</c>, <c>.get(id)</c>, <c>.cancel(id)</c>,
/// <c>.input(id, value)</c>, and <c>.subscribe(id, after)</c>, which streams the task's updates (so it needs a
/// multiplexed Synapse connection; the others work on any link, synapse-p2p's included).
/// </summary>
internal sealed class TaskEndpoints(AgentTasks tasks)
{
    private const int MaxEchoedLength = 80;
    private const int MaxIdLength = 64;

    public void Register(BuiltinRegistry builtins)
    {
        builtins.Add(AgentTaskBuiltins.Start, StartAsync);
        builtins.Add(AgentTaskBuiltins.Get, call => Answer(call, Find(call, BuiltinArguments.Read(call, "id")).Describe()));
        builtins.Add(AgentTaskBuiltins.Cancel, CancelAsync);
        builtins.Add(AgentTaskBuiltins.Input, InputAsync);
        builtins.Add(AgentTaskBuiltins.Subscribe, SubscribeAsync);
    }

    /// <summary><paramref name="text"/> cut to a length fit for an error message.</summary>
    internal static string Echo(string text) => text.Length <= MaxEchoedLength ? text : string.Concat(text.AsSpan(0, MaxEchoedLength), "…");

    private ValueTask StartAsync(RpcInvocation call)
    {
        var arguments = BuiltinArguments.Read(call, "endpoint", "args", "kwargs");
        var endpoint = arguments.String(0, "endpoint", "the endpoint to run");
        var args = arguments.Optional(1, "args") is { IsNil: false } given ? given : MsgPackValue.FromArray([]);
        var kwargs = arguments.Optional(2, "kwargs") is { IsNil: false } keywords ? keywords : MsgPackValue.Map([]);
        if (args.Type != MsgPackType.Array)
        {
            throw arguments.Bad($"'args' must be an array of positional arguments, got {args.Type}");
        }

        if (kwargs.Type != MsgPackType.Map)
        {
            throw arguments.Bad($"'kwargs' must be a map of keyword arguments, got {kwargs.Type}");
        }

        return Answer(call, tasks.Start(endpoint, args.ToBytes(), kwargs.ToBytes(), call.PeerId));
    }

    private ValueTask CancelAsync(RpcInvocation call)
    {
        var task = Find(call, BuiltinArguments.Read(call, "id"));
        AgentTasks.Cancel(task);
        return Answer(call, task.Describe());
    }

    private ValueTask InputAsync(RpcInvocation call)
    {
        var arguments = BuiltinArguments.Read(call, "id", "value");
        var task = Find(call, arguments);
        var value = arguments.Optional(1, "value") ?? MsgPackValue.Nil;
        if (!tasks.Answer(task, value))
        {
            throw arguments.Bad($"task {task.Id} is not waiting for input (it is {task.State.ToWire()})");
        }

        return Answer(call, task.Describe());
    }

    private ValueTask SubscribeAsync(RpcInvocation call)
    {
        var arguments = BuiltinArguments.Read(call, "id", "after");
        var task = Find(call, arguments);
        var after = arguments.Optional(1, "after") is { IsNil: false } position
            ? position.Type == MsgPackType.Integer ? position.AsInt64() : throw arguments.Bad($"'after' must be an update's sequence number, got {position.Type}")
            : 0;
        return call.StreamAsync(task.FollowAsync(after, call.CancellationToken), static (ref MsgPackWriter writer, AgentTaskUpdate update) => update.ToMsgPack().WriteTo(ref writer));
    }

    private AgentTaskEntry Find(RpcInvocation call, BuiltinArguments arguments)
    {
        var id = arguments.String(0, "id", "the task id _synapse.task.start returned");
        return id.Length > MaxIdLength ? throw arguments.Bad($"'{Echo(id)}' is no task id (longer than {MaxIdLength} characters)") : tasks.Find(id, call.PeerId, call.Endpoint);
    }

    private static ValueTask Answer(RpcInvocation call, AgentTaskInfo task)
    {
        call.CompleteWith(task.ToMsgPack());
        return default;
    }
}
