// README.md, "Quickstart": the agent (Calculator.cs in an application) and the program that serves and calls it
// (the top-level statements of Program.cs). The test runs the program's lines through ReadmeQuickstart.RunAsync.
using Synapse;

[AgentNode(Name = "calculator", Role = "math")]
public partial class Calculator
{
    /// <summary>Returns a + b.</summary>
    [Endpoint("sum")]
    public int Sum(int a, int b) => a + b;
}

namespace Synapse.Docs.Tests.Snippets
{
    using Synapse.Client;
    using Synapse.Hosting;
    using Synapse.MessagePack;

    /// <summary>The README quickstart's top-level statements, verbatim.</summary>
    internal static class ReadmeQuickstart
    {
        public static async Task<(int Three, MsgPackValue Pong)> RunAsync()
        {
            // Serve it (port 0 picks a free port; synapse-p2p's default is 9999).
            await using var host = new AgentHost(new Calculator(), new AgentHostOptions { Port = 0 });
            await host.StartAsync();

            // Call it through the generated, typed client.
            await using var client = new SynapseClient("127.0.0.1", host.Port);
            int three = await new CalculatorClient(client).SumAsync(1, 2);

            // Or untyped, like any synapse-p2p client.
            var pong = await client.CallAsync("_synapse.ping");

            return (three, pong);
        }
    }
}
