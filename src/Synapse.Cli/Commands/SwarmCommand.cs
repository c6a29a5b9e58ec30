using System.CommandLine;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse swarm watch|broadcast|ask|list</c>: the tool as a synapse-p2p swarm member, as synapse-p2p's <c>sn</c>
/// (see <c>docs/cli.md</c>). Each command but <c>list</c> joins the swarm through a seed with a member of its own,
/// which listens on an ephemeral port so that heartbeats, conversation events and replies reach it.
/// </summary>
internal static class SwarmCommand
{
    public static Command Create(CliConsole console) =>
        new("swarm", "Watch, broadcast to and ask a synapse-p2p swarm; list the swarms on the LAN")
        {
            SwarmWatchCommand.Create(console),
            SwarmBroadcastCommand.Create(console),
            SwarmAskCommand.Create(console),
            SwarmListCommand.Create(console),
        };
}
