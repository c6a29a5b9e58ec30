using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Synapse.Cli.Commands;

namespace Synapse.Cli;

/// <summary>The <c>synapse</c> command-line tool, runnable in-process.</summary>
public static class SynapseCli
{
    // Arguments are data: "@file" is a string to send, not a response file to expand.
    private static readonly ParserConfiguration ParserSettings = new() { ResponseFileTokenReplacer = null };

    /// <summary>Parses <paramref name="args"/> and runs the command they name.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="stdout">Where results and help go.</param>
    /// <param name="stderr">Where errors and notes go, one <c>synapse: …</c> line each.</param>
    /// <param name="cancellationToken">Ctrl+C / SIGTERM: stops the command.</param>
    /// <returns>The exit code, see <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var console = new CliConsole(stdout, stderr);
        var parse = CreateRootCommand(console).Parse(args, ParserSettings);
        if (parse.Action is ParseErrorAction)
        {
            // An unknown word explains more than the "required command" error it causes.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            console.Report($"{error.Message.TrimEnd('.')} (see '{CommandPath(parse)} --help')");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // Program.cs turns Ctrl+C and SIGTERM into the token
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            console.Report(e.Message);
            return e.ExitCode;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            console.Report("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            console.Report($"unexpected error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    // A Command named "synapse" rather than a RootCommand, which takes its name from the executable (Synapse.Cli, or
    // testhost in-process); it gets the same --help and --version options.
    private static Command CreateRootCommand(CliConsole console) =>
        new("synapse", "Synapse: generate agent identities, call and inspect Synapse and synapse-p2p nodes, run a relay, find agents, score their reputation, verify decision graphs, bridge a node to MCP clients, follow long-running tasks, watch and ask swarms.")
        {
            new HelpOption(),
            new VersionOption(),
            KeygenCommand.Create(console),
            IdCommand.Create(console),
            CallCommand.Create(console),
            InspectCommand.Create(console),
            FindCommand.Create(console),
            ReputationCommand.Create(console),
            RelayCommand.Create(console),
            GraphCommand.Create(console),
            McpCommand.Create(console),
            TaskCommand.Create(console),
            ArtifactsCommand.Create(console),
            SwarmCommand.Create(console),
        };

    // "synapse", "synapse call", "synapse graph verify": the root command is named "synapse".
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
        {
            names.Add(command.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
