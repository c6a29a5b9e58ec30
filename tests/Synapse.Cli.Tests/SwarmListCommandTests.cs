using Synapse.Cli.Commands;
using Synapse.Discovery.Lan;

namespace Synapse.Cli.Tests;

/// <summary>
/// <c>synapse swarm list</c>: the swarms announced on the LAN. Live, the tool runs inside a network namespace of the
/// test's own beside an announcer (tests/Synapse.Lan.Probe); in-process, its discovery is made socketless
/// (<see cref="SwarmListCommand.DiscoveryFactory"/>) and handed the DNS responses peers would multicast.
/// </summary>
public sealed class SwarmListCommandTests
{
    private static LanAnnouncement Peer(string id, string name, int port, string? swarm, string? team = "default") =>
        new(id, "127.0.0.1", port) { Name = name, Swarm = swarm, Team = team, Host = "elsewhere", Capabilities = ["sum", "mul"] };

    private static Task<CliResult> ListAsync(LanAnnouncement[] heard, params string[] options)
    {
        LanDiscoveryOptions? used = null;
        SwarmListCommand.DiscoveryFactory.Value = options =>
        {
            used = options;
            var lan = new LanDiscovery(new LanDiscoveryOptions { Enabled = false, HostName = "here" });
            foreach (var peer in heard)
            {
                lan.Handle(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = LanRecords.ToRecords(peer, "unused", 120) }, null);
            }

            return lan;
        };
        try
        {
            return Cli.RunAsync(["swarm", "list", .. options]);
        }
        finally
        {
            Assert.True(used is null || used.Enabled); // the real command browses for real
        }
    }

    [Fact]
    public async Task List_groups_the_announced_peers_by_swarm_and_team()
    {
        var result = await ListAsync(
            [Peer("bbbbbbbbbbbb", "beta", 2, "lab"), Peer("aaaaaaaaaaaa", "alpha", 1, "lab"), Peer("cccccccccccc", "gamma", 3, "ops", "red"), Peer("dddd", "delta", 4, null, null)],
            "--discover", "0.1");

        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        Assert.Equal(
            """
            swarm (none), team (none): 1 peer(s)
              delta (dddd)  127.0.0.1:4  node  sum,mul
            swarm 'lab', team 'default': 2 peer(s)
              alpha (aaaaaaaa)  127.0.0.1:1  node  sum,mul
              beta (bbbbbbbb)  127.0.0.1:2  node  sum,mul
            swarm 'ops', team 'red': 1 peer(s)
              gamma (cccccccc)  127.0.0.1:3  node  sum,mul

            """.ReplaceLineEndings("\n"),
            result.Stdout);
    }

    [Fact]
    public async Task List_with_json_prints_one_line_per_swarm()
    {
        var result = await ListAsync([Peer("aaaaaaaaaaaa", "alpha", 1, "lab")], "--json", "--discover", "0.1");

        Assert.Equal(
            """{"swarm":"lab","team":"default","peers":[{"id":"aaaaaaaaaaaa","name":"alpha","address":"127.0.0.1","port":1,"kind":"node","host":"elsewhere","capabilities":["sum","mul"]}]}""" + "\n",
            result.Stdout);
    }

    [Fact]
    public async Task List_says_on_stderr_when_nothing_was_heard()
    {
        var result = await ListAsync([], "--discover", "0.1");

        Assert.Equal((0, "", "synapse: no swarm announced itself on the LAN within 0.1 s\n"), (result.ExitCode, result.Stdout, result.Stderr));
    }

    [Fact]
    public async Task List_finds_a_node_announced_on_a_private_lan()
    {
        var probe = RepositoryRoot.BuiltAssembly("tests/Synapse.Lan.Probe", "Synapse.Lan.Probe");
        var tool = RepositoryRoot.BuiltAssembly("src/Synapse.Cli", "Synapse.Cli");
        var id = "5eed" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(30));
        await using var ns = await NetworkNamespace.CreateAsync();
        System.Diagnostics.Process? announcer = null;
        System.Diagnostics.Process? list = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            announcer = ns.Start(probe, "announce", id, "live agent", "4242", "sum,mul", "lab");
            Assert.Equal("announcing", await announcer.StandardOutput.ReadLineAsync(timeout.Token));

            list = ns.Start(tool, "swarm", "list", "--discover", "3");
            var output = await list.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = await list.StandardError.ReadToEndAsync(timeout.Token);
            await list.WaitForExitAsync(timeout.Token);

            Assert.True(list.ExitCode == 0, $"exit {list.ExitCode}: {output} {errors}");
            Assert.Equal($"swarm 'lab', team 'default': 1 peer(s)\n  live agent ({id[..8]})  127.0.0.1:4242  node  sum,mul\n", output);
        }
        finally
        {
            NetworkNamespace.Kill(announcer);
            NetworkNamespace.Kill(list);
        }
    }
}
