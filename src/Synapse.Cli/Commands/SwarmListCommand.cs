using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Synapse.Discovery.Lan;
using Synapse.MessagePack;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse swarm list [--discover SECONDS]</c>: listens for Synapse and synapse-p2p nodes announced on the LAN
/// (mDNS, <c>_synapse._tcp.local.</c>) for a while and prints them grouped by swarm and team. Only browses: the tool
/// announces nothing.
/// </summary>
internal static class SwarmListCommand
{
    /// <summary>Test seam: makes the LAN discovery from its options instead of <c>new LanDiscovery(options)</c> (no multicast in tests).</summary>
    internal static readonly AsyncLocal<Func<LanDiscoveryOptions, LanDiscovery>?> DiscoveryFactory = new();

    public static Command Create(CliConsole console)
    {
        var discover = new Option<double>("--discover") { Description = "Seconds to listen for announcements", HelpName = "SECONDS", DefaultValueFactory = _ => 0.5 };
        var lanInterface = new Option<string?>("--interface") { Description = "The IPv4 address of the network interface to use (default: the system's choice)", HelpName = "ADDRESS" };
        var json = new Option<bool>("--json") { Description = "Print one line of JSON per swarm and team" };
        var command = new Command("list", "List the swarms and their peers announced on the LAN (mDNS)");
        command.Options.Add(discover);
        command.Options.Add(lanInterface);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var listen = Seconds.Read(parse, discover);
            var options = new LanDiscoveryOptions { Enabled = true, QueryInterval = TimeSpan.FromSeconds(1), InterfaceAddress = Interface(parse.GetValue(lanInterface)) };
            await using var lan = DiscoveryFactory.Value?.Invoke(options) ?? new LanDiscovery(options);
            try
            {
                await lan.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw CliException.Failure($"cannot listen on the LAN (mDNS, UDP port 5353): {RpcErrors.Describe(e)}", e);
            }

            await Task.Delay(listen, cancellationToken).ConfigureAwait(false);

            var swarms = lan.Peers
                .GroupBy(p => (p.Swarm, p.Team))
                .OrderBy(g => g.Key.Swarm ?? "", StringComparer.Ordinal)
                .ThenBy(g => g.Key.Team ?? "", StringComparer.Ordinal)
                .ToArray();
            if (swarms.Length == 0)
            {
                console.Report($"no swarm announced itself on the LAN within {listen.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                return ExitCodes.Ok;
            }

            foreach (var swarm in swarms)
            {
                var peers = swarm.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();
                if (parse.GetValue(json))
                {
                    await console.Out.WriteLineAsync(MsgPackValue.Map(("swarm", swarm.Key.Swarm), ("team", swarm.Key.Team), ("peers", MsgPackValue.FromArray(peers.Select(Swarm.SwarmFormat.PeerJson)))).ToJson()).ConfigureAwait(false);
                    continue;
                }

                await console.Out.WriteLineAsync($"swarm {Named(swarm.Key.Swarm)}, team {Named(swarm.Key.Team)}: {peers.Length} peer(s)").ConfigureAwait(false);
                foreach (var peer in peers)
                {
                    await console.Out.WriteLineAsync($"  {Swarm.SwarmFormat.Peer(peer)}  {peer.Address}:{peer.Port}  {peer.Kind}  {string.Join(',', peer.Capabilities)}".TrimEnd()).ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A swarm or team as announced: quoted, or "(none)" when the node announced none.</summary>
    private static string Named(string? name) => name is null ? "(none)" : $"'{name}'";

    private static IPAddress? Interface(string? text) =>
        text is null ? null
        : IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork ? address
        : throw CliException.Usage($"--interface takes an IPv4 address, not '{text}'");
}
