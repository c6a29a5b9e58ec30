using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Generated.Tests;

public enum Mood : byte
{
    Calm = 1,
    Busy = 2,
    Panicking = 200,
}

/// <summary>A request with every kind of member.</summary>
[SynapseMessage]
public sealed record Job(
    string Title,
    [property: MessageKey("prio")] int Priority = 5,
    Mood Mood = Mood.Calm,
    IReadOnlyList<string>? Tags = null)
{
    public DateTimeOffset? Due { get; init; }

    public Dictionary<string, MsgPackValue> Extra { get; set; } = new();

    public Guid Id { get; init; }

    public byte[]? Blob { get; set; }

    public List<Step> Steps { get; set; } = new();
}

[SynapseMessage]
public sealed class Step
{
    public string Name { get; set; } = "";

    public double? Weight { get; set; }

    public Step? Next { get; set; }
}

[SynapseMessage]
public struct Point
{
    public int X { get; set; }

    public int Y { get; set; }
}

/// <summary>The calculator agent.</summary>
[AgentNode(Role = "math", Capabilities = new[] { "arithmetic" })]
[Capability("rounding", Description = "Rounds numbers", InputSchema = "{\"type\":\"number\"}")]
public partial class Calculator
{
    public int Calls { get; private set; }

    /// <summary>Adds two integers.</summary>
    /// <param name="a">The first addend.</param>
    /// <param name="b">The second addend.</param>
    [Endpoint("sum")]
    public int Sum(int a, int b)
    {
        Calls++;
        return a + b;
    }

    [Endpoint("scale")]
    public double Scale(double value, double factor = 2, long offset = 0) => (value * factor) + offset;

    [Endpoint("greet")]
    public string Greet(string? name = null, Mood mood = Mood.Busy) => $"{name ?? "nobody"}:{mood}";

    [Endpoint("noop")]
    public void Noop() => Calls++;
}

[AgentNode(Name = "worker", Description = "Does jobs")]
public partial class Worker
{
    public List<string> Log { get; } = new();

    public int Ticks { get; private set; }

    public CancellationToken LastToken { get; private set; }

    [Endpoint("submit")]
    public async Task<Job> SubmitAsync(Job job, CancellationToken cancellationToken)
    {
        LastToken = cancellationToken;
        await Task.Yield();
        return job with { Title = job.Title + "!" };
    }

    [Endpoint("who")]
    public ValueTask<string> WhoAsync(CallContext context) => new(context.Endpoint);

    [Endpoint("slow")]
    public async ValueTask SlowAsync(int delayMs)
    {
        await Task.Delay(delayMs);
        Log.Add("slow");
    }

    [Endpoint("fire")]
    public Task FireAsync(string message)
    {
        Log.Add(message);
        return Task.CompletedTask;
    }

    [Endpoint("echo-all")]
    public Task<Dictionary<string, int[]>> EchoAll(
        List<Mood?> moods,
        IReadOnlyDictionary<string, Guid>? ids,
        byte[] blob,
        ReadOnlyMemory<byte> memory,
        DateTimeOffset at,
        float? ratio,
        ulong big,
        sbyte small,
        Point point,
        MsgPackValue dynamic,
        IEnumerable<string> names)
    {
        var result = new Dictionary<string, int[]>
        {
            ["moods"] = moods.Select(m => m is null ? -1 : (int)m.Value).ToArray(),
            ["ids"] = new[] { ids?.Count ?? -1 },
            ["blob"] = blob.Select(b => (int)b).ToArray(),
            ["memory"] = memory.ToArray().Select(b => (int)b).ToArray(),
            ["at"] = new[] { (int)at.ToUnixTimeSeconds() },
            ["ratio"] = new[] { ratio is null ? -1 : (int)(ratio.Value * 100) },
            ["big"] = new[] { big == ulong.MaxValue ? 1 : 0 },
            ["small"] = new[] { (int)small },
            ["point"] = new[] { point.X, point.Y },
            ["dynamic"] = new[] { (int)dynamic.AsInt64() },
            ["names"] = new[] { names.Count() },
        };
        return Task.FromResult(result);
    }

    [Endpoint("hidden", Publish = false)]
    private int Hidden() => 42;

    [TaskHandler]
    public Task<string> Ask(string question, Dictionary<string, string>? context = null) =>
        Task.FromResult(question + (context is null ? "" : "+" + string.Join(",", context.Select(kv => kv.Key + "=" + kv.Value))));

    [Background(0.25)]
    public void Tick() => Ticks++;

    [Background(60)]
    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        LastToken = cancellationToken;
        Log.Add("refresh");
        return Task.CompletedTask;
    }
}

/// <summary>A task handler that is also an endpoint.</summary>
[AgentNode]
public partial class Answerer
{
    [Endpoint("answer")]
    [TaskHandler]
    public string Answer(string question, string? hint) => question + "/" + (hint ?? "-");
}

public partial class Outer
{
    [AgentNode]
    internal partial class NestedAgent
    {
        [Endpoint("nested.ping")]
        public string Ping() => "pong";
    }
}
