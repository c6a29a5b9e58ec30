using System.Net;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Swarm;

namespace Synapse.Cli.Swarm;

/// <summary>
/// The tool as a member of a swarm: an <see cref="AgentHost"/> with no endpoints on an ephemeral port, joined through
/// the seed, so that heartbeats, conversation events and broadcast replies reach it. Leaves the swarm when disposed
/// (peers drop it after their peer timeout).
/// </summary>
internal sealed class SwarmMember : IAsyncDisposable
{
    private static readonly TimeSpan SeedCallTimeout = TimeSpan.FromSeconds(10);

    private readonly AgentHost _host;

    private SwarmMember(AgentHost host, SwarmMemberSettings settings)
    {
        _host = host;
        Node = host.SwarmNode!;
        Settings = settings;
    }

    /// <summary>The tool's swarm node.</summary>
    public SwarmNode Node { get; }

    /// <summary>How it joined.</summary>
    public SwarmMemberSettings Settings { get; }

    /// <summary>The swarm joined (<c>null</c>: the seed belongs to none and every swarm is accepted).</summary>
    public string? Swarm => Node.Options.Swarm;

    /// <summary>The team joined.</summary>
    public string? Team => Node.Options.Team;

    /// <summary>
    /// Asks the seed for its swarm and team (unless both are given), starts the tool's host and joins through the seed.
    /// </summary>
    /// <exception cref="CliException">The seed cannot be reached or did not accept the tool (exit code 1).</exception>
    public static async Task<SwarmMember> JoinAsync(SwarmMemberSettings settings, CancellationToken cancellationToken)
    {
        var (swarm, team) = (settings.Swarm, settings.Team);
        if (swarm is null || team is null)
        {
            var info = await SeedInfoAsync(settings.Seed, cancellationToken).ConfigureAwait(false);
            swarm ??= info["swarm"] is { Type: MsgPackType.String } s ? s.AsString() : null;
            team ??= info["team"] is { Type: MsgPackType.String } t ? t.AsString() : "default";
        }

        var options = new SwarmOptions
        {
            Swarm = swarm,
            Team = team,
            HeartbeatInterval = settings.Heartbeat,
            PeerTimeout = settings.PeerTimeout,
            ServeAsks = false, // it listens: an ask to it is refused at once rather than acknowledged and failed
        };
        options.Seeds.Add($"{settings.Seed.Host}:{settings.Seed.Port}");
        var host = new AgentHost(new ListeningAgent(settings.Name), new AgentHostOptions { BindAddress = BindAddressFor(settings.Seed), Port = 0, SwarmNode = options });
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var member = new SwarmMember(host, settings); // the host makes its swarm node when it starts
            // The node joins through the seed as it starts; its first attempt tells whether the seed accepted.
            if (!await member.Node.FirstJoinAttempt.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                throw CliException.Failure($"{settings.Seed} did not let this tool join swarm {Quoted(swarm)}, team {Quoted(team)} (is it a swarm member? see --swarm and --team)");
            }

            // Peers learn of a member from its heartbeats: one at once, rather than after the first interval, lets
            // every peer send it conversation events and replies from the start.
            await member.Node.HeartbeatAsync(cancellationToken).ConfigureAwait(false);
            return member;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A swarm or team name for a message: quoted, or "(any)" for <c>null</c>.</summary>
    public static string Quoted(string? name) => name is null ? "(any)" : $"'{name}'";

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>The seed's <c>_synapse.info</c>, over plaintext, one connection, as swarm peers call each other.</summary>
    private static async Task<MsgPackValue> SeedInfoAsync(NodeAddress seed, CancellationToken cancellationToken)
    {
        var options = new SynapseClientOptions
        {
            Mode = ConnectionMode.PerCall,
            Security = LinkSecurity.Disabled,
            CallTimeout = SeedCallTimeout,
            ConnectTimeout = SeedCallTimeout,
            WriteTimeout = SeedCallTimeout,
        };
        await using var client = new SynapseClient(seed.Host, seed.Port, options);
        try
        {
            var info = await client.CallAsync("_synapse.info", cancellationToken: cancellationToken).ConfigureAwait(false);
            return info.Type == MsgPackType.Map
                ? info
                : throw CliException.Failure($"{seed} is not a swarm node: its _synapse.info answered {info.ToJson()}");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw RpcErrors.Describe(e, seed, "_synapse.info");
        }
    }

    /// <summary>Loopback for a seed on this machine, so nothing listens beyond it; every interface otherwise, so the swarm's peers can reach the tool.</summary>
    private static IPAddress BindAddressFor(NodeAddress seed) =>
        seed.Host == "localhost" || (IPAddress.TryParse(seed.Host, out var ip) && IPAddress.IsLoopback(ip))
            ? (seed.Host.Contains(':') ? IPAddress.IPv6Loopback : IPAddress.Loopback)
            : IPAddress.Any;
}
