// docs/streaming.md: a streaming endpoint and a consumer.
using System.Runtime.CompilerServices;
using Synapse.Client;

namespace Synapse.Docs.Tests.Snippets;

[SynapseMessage]
public sealed record Reading(string Sensor, int Seq, double Value);

[AgentNode(Name = "sensors")]
public sealed partial class SensorAgent
{
    /// <summary>One reading a second until the caller stops.</summary>
    [Endpoint("readings")]
    public async IAsyncEnumerable<Reading> Readings(string sensor, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var seq = 0; ; seq++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            yield return new Reading(sensor, seq, Random.Shared.NextDouble());
        }
    }
}

internal static class StreamingSnippet
{
    public static async Task ConsumeAsync(SynapseClient client, CancellationToken cancellationToken)
    {
        await foreach (var reading in new SensorAgentClient(client).ReadingsAsync("hall", cancellationToken))
        {
            Console.WriteLine($"{reading.Sensor} #{reading.Seq}: {reading.Value:0.00}");
        }
    }
}
