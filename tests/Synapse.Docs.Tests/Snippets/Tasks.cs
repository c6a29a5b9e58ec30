// docs/tasks.md: an endpoint that runs as a long-running task, a host that serves tasks, and a caller that follows one.
using Microsoft.Extensions.DependencyInjection;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.Rpc;
using Synapse.Tasks;

namespace Synapse.Docs.Tests.Snippets;

[AgentNode(Name = "reports")]
public sealed partial class ReportAgent
{
    /// <summary>Writes a report page by page, then asks before it publishes.</summary>
    [Endpoint("write-report")]
    public async Task<string> WriteReport(string topic, IProgress<int> pagesDone, CallContext call)
    {
        for (var page = 1; page <= 3; page++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), call.CancellationToken);
            pagesDone.Report(page);
        }

        var answer = await call.RequestInputAsync($"publish the report on {topic}?");
        return answer.AsString() == "yes" ? $"published: {topic}" : $"kept as a draft: {topic}";
    }
}

internal static class TasksSnippet
{
    public static AgentHost Serve(string dataDirectory)
    {
        var options = new AgentHostOptions
        {
            Tasks = new AgentTaskOptions
            {
                Store = SqliteTaskStore.Open(dataDirectory), // leave it null to keep tasks in memory only
                Retention = TimeSpan.FromHours(6),
            },
        };
        return new AgentHost(new ReportAgent(), options);
    }

    public static void RegisterStore(Microsoft.Extensions.Hosting.HostApplicationBuilder builder)
    {
        builder.Services.AddKeyedSingleton<IAgentTaskStore>("reports", (_, _) => SqliteTaskStore.Open("data/reports"));
    }

    public static async Task<List<string>> FollowAsync(SynapseClient client, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var task = await client.StartTaskAsync("write-report", ["energy"], cancellationToken: cancellationToken);
        await foreach (var update in client.WatchTaskAsync(task.Id, cancellationToken: cancellationToken))
        {
            switch (update)
            {
                case { Kind: AgentTaskUpdateKind.Progress }:
                    lines.Add($"page {update.Value} done");
                    break;
                case { State: AgentTaskState.InputRequired }:
                    await client.AnswerTaskAsync(task.Id, "yes", cancellationToken);
                    break;
                case { IsFinal: true }:
                    lines.Add($"{update.State}: {update.Value}");
                    break;
            }
        }

        return lines;
    }
}
