using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Tasks;

/// <summary>
/// The tasks of one host: starts them (each call runs through the same dispatch as a network call, with a
/// <see cref="TaskSink"/> catching its items and progress), keeps them until their retention ends, writes each state
/// change to the store, and on start takes over what the store holds.
/// </summary>
internal sealed class AgentTasks : IHostService
{
    /// <summary>Room a result leaves in a response for the task description around it.</summary>
    private const int DescriptionReserve = 1024;

    private readonly AgentHost _host;
    private readonly AgentTaskOptions _options;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<string, AgentTaskEntry> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<AgentTaskEntry, Task> _running = new();
    private readonly Task _sweeping;
    private int _active;

    public AgentTasks(AgentHost host, AgentTaskOptions options, CancellationToken stopping)
    {
        _host = host;
        _options = options;
        _stopping = stopping;
        Recover();
        _sweeping = SweepAsync();
    }

    /// <summary>Starts <paramref name="endpoint"/> as a task for the caller <paramref name="owner"/>.</summary>
    /// <exception cref="RpcException">The endpoint does not exist or cannot run as a task, the caller may not call it, or the host is at a limit.</exception>
    public AgentTaskInfo Start(string endpoint, ReadOnlyMemory<byte> arguments, ReadOnlyMemory<byte> keywordArguments, string? owner)
    {
        Resolve(endpoint);
        if (!CallerAllowList.Allows(_host.Options.AllowedCallers, endpoint, owner))
        {
            throw new RpcException(RpcErrorCodes.Forbidden, CallerAllowList.Refusal(endpoint, owner));
        }

        if (_stopping.IsCancellationRequested)
        {
            throw new RpcException(RpcErrorCodes.Unavailable, "the host is stopping");
        }

        if (_tasks.Count >= _options.MaxRetainedTasks)
        {
            Sweep();
            if (_tasks.Count >= _options.MaxRetainedTasks)
            {
                throw Busy($"the node keeps {_tasks.Count} tasks, its limit; try again when older results expire");
            }
        }

        if (Interlocked.Increment(ref _active) > _options.MaxActiveTasks)
        {
            Interlocked.Decrement(ref _active);
            throw Busy($"the node runs {_options.MaxActiveTasks} tasks, its limit; try again later");
        }

        var task = new AgentTaskEntry(NewId(), endpoint, arguments, keywordArguments, owner, _options) { Attempt = 1 };
        _tasks[task.Id] = task;
        task.Transition(AgentTaskState.Submitted);
        Save(task);
        Run(task);
        return task.Describe();
    }

    /// <summary>The task <paramref name="id"/>, as the caller <paramref name="caller"/> may see it.</summary>
    /// <exception cref="RpcException"><c>bad_request</c>: no such task here (unknown, expired, or another caller's under <see cref="AgentTaskOptions.OwnerOnly"/>).</exception>
    public AgentTaskEntry Find(string id, string? caller, string builtin)
    {
        if (_tasks.TryGetValue(id, out var task) && !Expired(task, DateTimeOffset.UtcNow)
            && (!_options.OwnerOnly || task.Owner is null || task.Owner == caller))
        {
            return task;
        }

        throw new RpcException(RpcErrorCodes.BadRequest, $"{builtin}: no task '{TaskEndpoints.Echo(id)}' on this node (it expired, or was never started here)");
    }

    /// <summary>Asks the task to stop; it ends <c>canceled</c> once its handler has stopped.</summary>
    public static void Cancel(AgentTaskEntry task)
    {
        if (!task.State.IsFinal())
        {
            task.Cancellation.Cancel();
        }
    }

    /// <summary>Answers the question <paramref name="task"/> asks; false when it asks none.</summary>
    public bool Answer(AgentTaskEntry task, MsgPackValue value)
    {
        if (!task.Answer(value))
        {
            return false;
        }

        Save(task);
        return true;
    }

    /// <summary>Records a progress report or a partial result of <paramref name="task"/>.</summary>
    public void Report(AgentTaskEntry task, AgentTaskUpdateKind kind, MsgPackValue value, int size)
    {
        if (task.Report(kind, value, size))
        {
            Save(task);
        }
    }

    public async Task StopAsync()
    {
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(_host.Options.DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            TaskLog.IgnoredStop(_host.Logger, _running.Count, _host.Options.DrainTimeout);
        }

        await _sweeping.ConfigureAwait(false);
    }

    private void Recover()
    {
        if (_options.Store is not { } store)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var record in store.Load())
        {
            AgentTaskEntry task;
            try
            {
                task = new AgentTaskEntry(record, _options);
            }
            catch (MsgPackException e)
            {
                TaskLog.Damaged(_host.Logger, e, record.Id);
                continue;
            }

            if (task.State.IsFinal())
            {
                if (Expired(task, now))
                {
                    store.Delete(task.Id);
                }
                else
                {
                    _tasks[task.Id] = task;
                }

                continue;
            }

            _tasks[task.Id] = task;
            Interlocked.Increment(ref _active);
            if (_options.Recovery == AgentTaskRecovery.Fail || task.Attempt >= _options.MaxAttempts)
            {
                End(task, AgentTaskState.Failed, null, RpcErrorCodes.Unavailable,
                    $"the node restarted while the task ran (run {task.Attempt} of at most {(_options.Recovery == AgentTaskRecovery.Fail ? 1 : _options.MaxAttempts)})");
                continue;
            }

            task.Attempt++;
            TaskLog.Resumed(_host.Logger, task.Id, task.Endpoint, task.Attempt);
            Run(task);
        }
    }

    private void Run(AgentTaskEntry task)
    {
        var running = Task.Run(() => RunAsync(task));
        _running[task] = running;
        running.ContinueWith(_ => _running.TryRemove(task, out var _), TaskScheduler.Default);
    }

    private async Task RunAsync(AgentTaskEntry task)
    {
        CallTarget target;
        try
        {
            target = Resolve(task.Endpoint);
        }
        catch (RpcException e)
        {
            End(task, AgentTaskState.Failed, null, e.Code, e.Message); // a stored task whose endpoint this agent no longer has
            return;
        }

        var name = Encoding.UTF8.GetBytes(task.Endpoint);
        var call = _host.RentInvocation();
        try
        {
            await RunCallAsync(task, call, target, name).ConfigureAwait(false);
        }
        finally
        {
            _host.ReturnInvocation(call);
        }
    }

    private async Task RunCallAsync(AgentTaskEntry task, RpcInvocation call, CallTarget target, byte[] name)
    {
        call.Start(task.Endpoint, new ReadOnlySequence<byte>(MsgPackValue.From(task.Id).ToBytes()), new ReadOnlySequence<byte>(task.Arguments),
            new ReadOnlySequence<byte>(task.KeywordArguments), null, task.Owner, _host.Options.MaxFrameSize - DescriptionReserve);
        call.StreamSink = new TaskSink(this, task, _host.Options.MaxFrameSize - DescriptionReserve);
        call.TaskInput = new TaskInput(this, task);
        if (!task.Transition(AgentTaskState.Working))
        {
            return; // ended already
        }

        Save(task);
        using (task.Cancellation.Token.Register(call.Cancel))
        using (_stopping.Register(call.Cancel))
        {
            await CallExecutor.ExecuteAsync(_host.Dispatcher, call, target, name, _host.Logger).ConfigureAwait(false);
        }

        if (_stopping.IsCancellationRequested && !task.Cancellation.IsCancellationRequested)
        {
            // The host stops under the task: a store keeps it as it was, to run again after the restart.
            if (_options.Store is null)
            {
                End(task, AgentTaskState.Failed, null, RpcErrorCodes.Unavailable, "the node stopped while the task ran");
            }

            return;
        }

        var error = RpcResponseParser.TryParse(new ReadOnlySequence<byte>(call.ResponseFrame[Frames.HeaderSize..]), MsgPackReaderOptions.Default, out var response);
        if (error is not null || !response.Ok)
        {
            var code = error is null ? response.ErrorCode ?? RpcErrorCodes.InternalError : RpcErrorCodes.InternalError;
            End(task, code == RpcErrorCodes.Cancelled ? AgentTaskState.Canceled : AgentTaskState.Failed, null, code, error ?? response.ErrorMessage ?? "the task failed");
            return;
        }

        var reader = new MsgPackReader(response.Result);
        End(task, AgentTaskState.Completed, MsgPackValue.ReadFrom(ref reader), null, null);
    }

    private void End(AgentTaskEntry task, AgentTaskState state, MsgPackValue? result, string? code, string? message)
    {
        if (task.Transition(state, result, code, message))
        {
            Interlocked.Decrement(ref _active);
            Save(task);
            TaskLog.Ended(_host.Logger, task.Id, task.Endpoint, state.ToWire(), code);
        }
    }

    /// <summary>Waits for the caller's answer to <paramref name="prompt"/>, the task <c>input-required</c> meanwhile.</summary>
    private async ValueTask<MsgPackValue> RequestInputAsync(AgentTaskEntry task, string prompt, CancellationToken cancellationToken)
    {
        var answer = task.ExpectInput();
        try
        {
            if (task.Transition(AgentTaskState.InputRequired, prompt: prompt))
            {
                Save(task);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, task.Cancellation.Token, _stopping);
            try
            {
                return await answer.WaitAsync(_options.InputTimeout, linked.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new RpcException(RpcErrorCodes.Timeout, $"no answer to '{TaskEndpoints.Echo(prompt)}' within {_options.InputTimeout}");
            }
        }
        finally
        {
            if (task.ForgetInput())
            {
                Save(task);
            }
        }
    }

    private CallTarget Resolve(string endpoint)
    {
        var name = Encoding.UTF8.GetBytes(endpoint);
        var target = CallExecutor.Resolve(_host.Dispatcher, _host.Builtins, name);
        if (target.Builtin is { } builtin && builtin.Name is not (AskBuiltin.Name or AskBuiltin.NodeName))
        {
            throw new RpcException(RpcErrorCodes.BadRequest, $"{AgentTaskBuiltins.Start}: {builtin.Name} is a built-in; tasks run the agent's endpoints and {AskBuiltin.Name}");
        }

        return target.Builtin is null && target.Index < 0 ? throw CallExecutor.UnregisteredEndpoint(endpoint) : target;
    }

    private void Save(AgentTaskEntry task)
    {
        if (_options.Store is not { } store)
        {
            return;
        }

        lock (task.SaveGate)
        {
            try
            {
                store.Save(task.ToRecord());
            }
            catch (Exception e)
            {
                TaskLog.StoreFailed(_host.Logger, e, task.Id);
            }
        }
    }

    private async Task SweepAsync()
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_options.Retention.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping).ConfigureAwait(false))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // The host stops.
        }
    }

    private void Sweep()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var task in _tasks.Values)
        {
            if (Expired(task, now) && _tasks.TryRemove(task.Id, out _))
            {
                try
                {
                    _options.Store?.Delete(task.Id);
                }
                catch (Exception e)
                {
                    TaskLog.StoreFailed(_host.Logger, e, task.Id);
                }
            }
        }
    }

    private bool Expired(AgentTaskEntry task, DateTimeOffset now) => task.State.IsFinal() && task.Updated + _options.Retention <= now;

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static RpcException Busy(string message) => new(RpcErrorCodes.BadRequest, $"{RpcProtocol.ServerBusyPrefix} {message}");

    /// <summary>The task a call runs as, for <see cref="CallContext.RequestInputAsync"/>.</summary>
    private sealed class TaskInput(AgentTasks tasks, AgentTaskEntry task) : ITaskInput
    {
        public string TaskId => task.Id;

        public ValueTask<MsgPackValue> RequestInputAsync(string prompt, CancellationToken cancellationToken) =>
            tasks.RequestInputAsync(task, prompt, cancellationToken);
    }
}
