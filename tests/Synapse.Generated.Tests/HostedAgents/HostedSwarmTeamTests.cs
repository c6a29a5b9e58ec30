using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synapse.Generated.Tests.Swarm;
using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Swarm;
using Synapse.Swarm.Teams;

namespace Synapse.Generated.Tests.HostedAgents;

/// <summary>A team and a worker in the generic host, on the swarm nodes of two hosted agents.</summary>
public sealed class HostedSwarmTeamTests
{
    [Fact]
    public async Task A_hosted_team_offers_and_a_hosted_worker_does_the_task()
    {
        var leadPort = HostedAgentTests.FreePort();
        using var app = Build($$"""
            { "Synapse": { "Agents": {
                "lead": { "Port": {{leadPort}}, "Swarm": { "Name": "lab", "HeartbeatInterval": "00:00:00.2" } },
                "hand": { "Port": 0, "Swarm": { "Name": "lab", "HeartbeatInterval": "00:00:00.2", "Seeds": [ "127.0.0.1:{{leadPort}}" ] } } } } }
            """, synapse => synapse
                .AddSwarmTeam("lead", team => team.MaxAttempts = 2)
                .AddSwarmWorker("hand", _ => (task, _) => Task.FromResult<MsgPackValue>($"done: {task.Title}"), worker => worker.Capabilities = ["hands"]));
        await app.StartAsync();
        var lead = app.Services.GetRequiredService<SynapseAgents>()["lead"].SwarmNode!;
        await Poll.UntilAsync(() => Task.FromResult(lead.Membership.Peers.Count), n => n == 1, TimeSpan.FromSeconds(20));
        var team = app.Services.GetRequiredKeyedService<SwarmTeam>("lead");

        var offered = await team.OfferAsync("fold the laundry", requires: ["hands"]);
        var done = await team.WaitAsync(offered.TaskId, TimeSpan.FromSeconds(20));
        await app.StopAsync();

        Assert.Equal("done: fold the laundry", done.Result?.AsString());
    }

    [Fact]
    public async Task A_worker_on_an_agent_outside_any_swarm_stops_the_app_from_starting_and_says_why()
    {
        using var app = Build("""{ "Synapse": { "Agents": { "lead": { "Port": 0 }, "hand": { "Port": 0 } } } }""",
            synapse => synapse.AddSwarmWorker("hand", _ => (_, _) => Task.FromResult(MsgPackValue.Nil)));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Equal("Agent 'hand' is not a swarm member, so it has no swarm for its worker: give it a Swarm section or AddSwarm(\"hand\").", error.Message);
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSynapse().AddSwarmTeam("nobody"));
    }

    private static IHost Build(string json, Action<ISynapseBuilder> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        configure(builder.Services.AddSynapse().AddAgent<Listener>("lead").AddAgent<Listener>("hand"));
        return builder.Build();
    }
}
