using System.CommandLine;
using Synapse.Cli.Swarm;
using Synapse.Client;

namespace Synapse.Cli.Commands;

/// <summary>The seed and options of the <c>swarm</c> commands that join a swarm (<c>watch</c>, <c>broadcast</c>, <c>ask</c>).</summary>
internal sealed class SwarmMemberOptions
{
    public Argument<string> Seed { get; } = new("SEED") { Description = "A member of the swarm to join through, as HOST:PORT, e.g. 127.0.0.1:9999" };

    public Option<string?> Swarm { get; } = new("--swarm") { Description = "The swarm to join (default: the seed's)", HelpName = "NAME" };

    public Option<string?> Team { get; } = new("--team", "-t") { Description = "The team to join (default: the seed's)", HelpName = "NAME" };

    public Option<string> Name { get; } = new("--name", "-n")
    {
        Description = "The name the swarm's peers see for this tool",
        HelpName = "NAME",
        DefaultValueFactory = _ => "synapse-cli",
    };

    public Option<double> Heartbeat { get; } = new("--heartbeat")
    {
        Description = "Seconds between heartbeats to every peer (and checks for silent ones)",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 5,
    };

    public Option<double> PeerTimeout { get; } = new("--peer-timeout")
    {
        Description = "Seconds a peer may stay silent before it is counted as gone",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 20,
    };

    /// <summary>Adds the argument and options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Seed);
        command.Options.Add(Swarm);
        command.Options.Add(Team);
        command.Options.Add(Name);
        command.Options.Add(Heartbeat);
        command.Options.Add(PeerTimeout);
    }

    /// <summary>Reads the values.</summary>
    /// <exception cref="CliException">A value is invalid (usage error).</exception>
    public SwarmMemberSettings Read(ParseResult parse)
    {
        var seedText = parse.GetRequiredValue(Seed);
        var seed = NodeAddress.TryParse(seedText, out var parsed, out var invalid)
            ? parsed
            : throw CliException.Usage($"invalid seed '{seedText}': {invalid}");
        var name = parse.GetValue(Name);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw CliException.Usage("--name must not be empty");
        }

        return new SwarmMemberSettings(
            seed,
            NotEmpty(parse.GetValue(Swarm), "--swarm"),
            NotEmpty(parse.GetValue(Team), "--team"),
            name,
            Seconds.Read(parse, Heartbeat),
            Seconds.Read(parse, PeerTimeout));
    }

    private static string? NotEmpty(string? value, string option) =>
        value is not null && string.IsNullOrWhiteSpace(value) ? throw CliException.Usage($"{option} must not be empty") : value;
}
