using Synapse.Rpc;

namespace Synapse.Generated.Tests.Tasks;

/// <summary>An agent with the kinds of work tasks run: long, reporting, streaming, asking, failing, and waiting for the test.</summary>
[AgentNode(Name = "builder")]
public sealed partial class Builder
{
    private readonly Dictionary<string, TaskCompletionSource<string>> _gates = [];

    /// <summary>How many times <c>gated</c> started (a restarted host runs an unfinished task again).</summary>
    public int GatedRuns;

    /// <summary>The gate named <paramref name="name"/>, which <c>gated</c> waits at until the test opens it.</summary>
    public TaskCompletionSource<string> Gate(string name)
    {
        lock (_gates)
        {
            return _gates.TryGetValue(name, out var gate) ? gate : _gates[name] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Builds in <paramref name="steps"/> steps, reporting each.</summary>
    [Endpoint("build")]
    public async Task<string> Build(int steps, IProgress<int> progress, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= steps; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken);
            progress.Report(i);
        }

        return $"built in {steps} steps";
    }

    /// <summary>Yields <paramref name="count"/> parts: a task's partial results.</summary>
    [Endpoint("parts")]
    public async IAsyncEnumerable<int> Parts(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    /// <summary>Yields <paramref name="count"/> blobs of <paramref name="size"/> bytes: large partial results.</summary>
    [Endpoint("blobs")]
    public async IAsyncEnumerable<byte[]> Blobs(int count, int size)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new byte[size];
        }
    }

    /// <summary>Waits at the gate <paramref name="name"/> and returns what opened it.</summary>
    [Endpoint("gated")]
    public async Task<string> Gated(string name, IProgress<string> progress, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref GatedRuns);
        progress.Report("waiting at " + name);
        return await Gate(name).Task.WaitAsync(cancellationToken);
    }

    /// <summary>Asks its caller before it goes on.</summary>
    [Endpoint("confirm")]
    public async Task<string> Confirm(string plan, CallContext context)
    {
        var answer = await context.RequestInputAsync($"go ahead with {plan}?");
        return $"{plan}: {answer.AsString()}";
    }

    /// <summary>Fails.</summary>
    [Endpoint("explode")]
    public void Explode() => throw new InvalidOperationException("the boiler burst");

    /// <summary>The task <c>forever</c> runs as, once it started.</summary>
    public TaskCompletionSource<string?> ForeverStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs until cancelled.</summary>
    [Endpoint("forever")]
    public Task Forever(CallContext context)
    {
        ForeverStarted.TrySetResult(context.TaskId);
        return Task.Delay(Timeout.Infinite, context.CancellationToken);
    }

    /// <summary>The task handler: <c>_agent.ask</c> runs as a task too.</summary>
    [TaskHandler]
    public string Ask(string task) => $"did {task}";
}
