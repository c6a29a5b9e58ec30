using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Cli.Tests;

/// <summary>The node the CLI tests call: arithmetic, echo, binary data, failures, a slow call and the caller's id.</summary>
[AgentNode(Name = "cli-tester", Role = "testing", Description = "An agent the CLI tests call")]
[Capability("summarize", Description = "Summarizes text")]
public partial class CliTestAgent
{
    /// <summary>Adds two integers.</summary>
    [Endpoint("sum", Description = "Adds two integers")]
    public long Sum(long a, long b) => a + b;

    [Endpoint("echo")]
    public MsgPackValue Echo(MsgPackValue value) => value;

    [Endpoint("pair")]
    public MsgPackValue[] Pair(MsgPackValue first, MsgPackValue second) => [first, second];

    [Endpoint("bytes")]
    public byte[] Bytes(int count) => Enumerable.Range(1, count).Select(i => (byte)i).ToArray();

    [Endpoint("ext")]
    public MsgPackValue Extension() => MsgPackValue.FromExtension(new MsgPackExtension(7, new byte[] { 1, 2 }));

    [Endpoint("fail")]
    public void Fail() => throw new InvalidOperationException("kaboom");

    [Endpoint("slow")]
    public async Task<string> SlowAsync(double seconds, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return "done";
    }

    [Endpoint("whoami")]
    public string? WhoAmI(CallContext context) => context.PeerId;

    [Endpoint("count")]
    public async Task<string> CountAsync(int to, IProgress<int> progress, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= to; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            progress.Report(i);
        }

        return $"counted to {to}";
    }

    [Endpoint("greet-asking")]
    public async Task<string> GreetAskingAsync(CallContext context) => $"hello {(await context.RequestInputAsync("who are you?")).AsString()}";

    [Endpoint("internal", Publish = false)]
    public int Hidden() => 42;
}
