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

[SynapseMessage]
public sealed record IndexStep(int Done, int Of);

[AgentNode(Name = "indexer")]
public sealed partial class IndexerAgent
{
    [Endpoint("index")]
    public async Task<int> Index(string folder, IProgress<IndexStep> progress, CancellationToken cancellationToken)
    {
        var files = Directory.GetFiles(folder);
        for (var i = 0; i < files.Length; i++)
        {
            await IndexFileAsync(files[i], cancellationToken);
            progress.Report(new IndexStep(i + 1, files.Length));
        }

        return files.Length;
    }

    private static Task IndexFileAsync(string file, CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
}

internal static class ProgressSnippet
{
    public static async Task<int> CallAsync(SynapseClient client)
    {
        var indexed = await new IndexerAgentClient(client).IndexAsync("/data", new Progress<IndexStep>(step => Console.WriteLine($"{step.Done}/{step.Of}")));
        return indexed;
    }
}
