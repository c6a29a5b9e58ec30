using System.CommandLine;
using Synapse.Cli.Json;
using Synapse.Cli.Swarm;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse swarm ask SEED TASK</c>: joins the swarm and asks it (<c>synapse.ask</c> with a broadcast envelope, as
/// synapse-p2p's <c>sn ask</c>), printing each peer asked, ack, reply and error as it arrives, then the peers that
/// stayed silent. Exits 0 when at least one peer replied, 1 otherwise.
/// </summary>
internal static class SwarmAskCommand
{
    public static Command Create(CliConsole console)
    {
        var member = new SwarmMemberOptions();
        var task = new Argument<string>("TASK") { Description = "The task, sent as text" };
        var context = new Option<string[]>("--context", "-c")
        {
            Description = "Context for the task as KEY=VALUE, repeatable; the value is parsed as JSON, text that is not JSON is a string",
            HelpName = "KEY=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the replies", HelpName = "SECONDS", DefaultValueFactory = _ => 30 };
        var require = new Option<string[]>("--require") { Description = "Ask only peers that advertise this capability, repeatable", HelpName = "CAPABILITY" };
        var json = new Option<bool>("--json") { Description = "Print each step as one line of JSON" };
        var command = new Command("ask", "Ask a swarm to do a task and print the acks and replies as they arrive; exit 0 when someone replied");
        member.AddTo(command);
        command.Arguments.Add(task);
        command.Options.Add(context);
        command.Options.Add(timeout);
        command.Options.Add(require);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = member.Read(parse);
            var options = new SwarmAskOptions
            {
                Timeout = Seconds.Read(parse, timeout),
                Context = Context(parse.GetValue(context) ?? []),
            };
            foreach (var capability in parse.GetValue(require) ?? [])
            {
                options.RequiredCapabilities.Add(capability);
            }

            var printer = new SwarmAskPrinter(console, parse.GetValue(json));
            options.Progress = printer;
            await using var joined = await SwarmMember.JoinAsync(settings, cancellationToken).ConfigureAwait(false);
            var result = await joined.Node.AskAsync(parse.GetRequiredValue(task), options, cancellationToken).ConfigureAwait(false);
            printer.Finish(result);
            if (result.Answers.Count == 0)
            {
                var which = options.RequiredCapabilities.Count == 0 ? "" : $" with {string.Join(", ", options.RequiredCapabilities)}";
                throw CliException.Failure($"no peer{which} to ask in swarm {SwarmMember.Quoted(joined.Swarm)}, team {SwarmMember.Quoted(joined.Team)}");
            }

            if (result.Replies.Count == 0)
            {
                throw CliException.Failure($"nobody replied: {Tally(result)} of {result.Answers.Count} peer(s) asked, within {options.Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The <c>--context</c> pairs as a map; <c>null</c> when there are none.</summary>
    /// <exception cref="CliException">A pair is not <c>KEY=VALUE</c> or a key is given twice (usage error).</exception>
    internal static MsgPackValue? Context(IReadOnlyList<string> pairs)
    {
        if (pairs.Count == 0)
        {
            return null;
        }

        var entries = new Dictionary<string, MsgPackValue>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"--context takes KEY=VALUE, not '{pair}'");
            }

            var key = pair[..equals];
            if (!entries.TryAdd(key, JsonArguments.Parse(pair[(equals + 1)..])))
            {
                throw CliException.Usage($"--context gives '{key}' twice");
            }
        }

        return MsgPackValue.FromMap(entries);
    }

    /// <summary>How the asked peers' parts ended, e.g. "1 timed out, 1 failed".</summary>
    private static string Tally(SwarmAskResult result) => string.Join(", ", result.Answers
        .GroupBy(a => a.Outcome)
        .OrderBy(g => g.Key)
        .Select(g => $"{g.Count()} {g.Key switch
        {
            SwarmAskOutcome.TimedOut => "timed out",
            SwarmAskOutcome.Failed => "failed",
            SwarmAskOutcome.Unreachable => "unreachable",
            _ => "replied",
        }}"));
}
