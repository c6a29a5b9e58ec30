using System.CommandLine;
using Synapse.Cli.Graph;
using Synapse.Flows.Graph;

namespace Synapse.Cli.Commands;

/// <summary><c>synapse graph export DB --format json|dot [--out FILE]</c>: writes a decision graph as JSON or Graphviz DOT.</summary>
internal static class GraphExportCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("DB") { Description = "The decision graph file (decisions.db)" };
        var format = new Option<string>("--format", "-f")
        {
            Description = "json: an array of records with hex hashes; dot: a Graphviz graph (chain edges solid, cross-links dashed)",
            HelpName = "json|dot",
            Required = true,
        };
        format.AcceptOnlyFromAmong("json", "dot");
        var output = new Option<string>("--out", "-o") { Description = "Write to this file instead of stdout", HelpName = "FILE" };
        var command = new Command("export", "Write a decision graph as JSON or Graphviz DOT (it is not verified: use 'synapse graph verify')")
        {
            file,
            format,
            output,
        };
        command.SetAction(parse => Run(parse.GetRequiredValue(file), parse.GetRequiredValue(format), parse.GetValue(output), console));
        return command;
    }

    private static int Run(string path, string format, string? output, CliConsole console)
    {
        DecisionGraphSnapshot graph;
        try
        {
            graph = DecisionGraphFile.Read(GraphCommand.RequireFile(path));
        }
        catch (DecisionGraphException e)
        {
            throw CliException.Failure($"cannot export: {CliConsole.Clause(e.Message)}", e);
        }

        var text = format == "dot" ? GraphDot.Write(graph) : GraphJson.Write(graph);
        if (output is null)
        {
            console.Out.Write(text);
            return ExitCodes.Ok;
        }

        try
        {
            File.WriteAllText(output, text);
        }
        catch (UnauthorizedAccessException e)
        {
            throw CliException.Failure($"cannot write '{output}': permission denied", e);
        }
        catch (IOException e)
        {
            throw CliException.Failure($"cannot write '{output}': {CliConsole.Clause(e.Message)}", e);
        }

        return ExitCodes.Ok;
    }
}
