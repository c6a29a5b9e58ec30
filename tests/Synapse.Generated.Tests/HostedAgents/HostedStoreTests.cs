using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Synapse.Client;
using Synapse.Generated.Tests.Tasks;
using Synapse.Hosting;
using Synapse.Swarm;
using Synapse.Tasks;

namespace Synapse.Generated.Tests.HostedAgents;

/// <summary>
/// Durable state of a hosted agent: long-running tasks (settings from <c>Synapse:Agents:{name}:Tasks</c>) and swarm
/// conversations, each kept in a store the app registers keyed by the agent's name.
/// </summary>
public sealed class HostedStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-hosted-tasks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_tasks_section_serves_tasks_kept_in_the_store_the_app_registered()
    {
        using var app = Build("""{ "Synapse": { "Agents": { "builder": { "Tasks": { "Retention": "00:10:00", "MaxActiveTasks": 4 } } } } }""",
            services => services.AddKeyedSingleton<IAgentTaskStore>("builder", (_, _) => SqliteTaskStore.Open(_directory)));
        await app.StartAsync();
        var host = app.Services.GetRequiredService<SynapseAgents>()["builder"];
        await using var client = new SynapseClient("127.0.0.1", host.Port);

        var started = await client.StartTaskAsync("build", [2]);
        var ended = await client.WaitForTaskAsync(started.Id).WaitAsync(TimeSpan.FromSeconds(30));
        await app.StopAsync();

        Assert.Equal("built in 2 steps", ended.Result?.AsString());
        Assert.Equal(4, host.Options.Tasks!.MaxActiveTasks);
        Assert.Equal(TimeSpan.FromMinutes(10), host.Options.Tasks!.Retention);
        using var store = SqliteTaskStore.Open(_directory);
        Assert.Equal(AgentTaskState.Completed, Assert.Single(store.Load()).State);
    }

    [Fact]
    public async Task A_swarm_agent_keeps_its_conversations_in_the_log_the_app_registered()
    {
        using var app = Build("""{ "Synapse": { "Agents": { "builder": { "Swarm": { "Name": "lab" } } } } }""",
            services => services.AddKeyedSingleton<ISwarmConversationLog>("builder", (_, _) => SqliteConversationLog.Open(_directory)));
        await app.StartAsync();
        var node = app.Services.GetRequiredService<SynapseAgents>()["builder"].SwarmNode!;

        var note = SwarmConversationEvent.Create("c", "note", node.Self, SwarmConversationEvent.EmptyMap, null, node.Membership.Now);
        Assert.True(node.Conversations.TryAdd(note));
        await app.StopAsync();

        using var log = SqliteConversationLog.Open(_directory);
        Assert.Equal(note.EventId, Assert.Single(log.Load().Events).EventId);
    }

    [Fact]
    public async Task An_agent_without_a_tasks_section_serves_none()
    {
        using var app = Build("""{ "Synapse": { "Agents": { "builder": { } } } }""");
        await app.StartAsync();
        await using var client = new SynapseClient("127.0.0.1", app.Services.GetRequiredService<SynapseAgents>()["builder"].Port);

        var error = await Assert.ThrowsAsync<Synapse.Rpc.RpcException>(() => client.StartTaskAsync("build", [1]));

        Assert.Equal("Unregistered endpoint called: _synapse.task.start", error.Message);
        await app.StopAsync();
    }

    [Fact]
    public async Task Task_settings_that_cannot_be_used_are_named_under_the_tasks_section()
    {
        using var app = Build("""{ "Synapse": { "Agents": { "builder": { "Tasks": { "MaxUpdatesKept": 0, "Recovery": "Fail" } } } } }""");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Synapse:Agents:builder:Tasks:MaxUpdatesKept:", error.Message);
    }

    private static IHost Build(string json, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        services?.Invoke(builder.Services);
        builder.Services.AddSynapse().AddAgent<Builder>("builder");
        return builder.Build();
    }
}
