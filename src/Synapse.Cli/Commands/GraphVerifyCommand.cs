using System.CommandLine;
using System.Globalization;
using Synapse.Flows.Graph;

namespace Synapse.Cli.Commands;

/// <summary><c>synapse graph verify DB [DB…]</c>: checks signatures, chains and cross-links; names the first bad record.</summary>
internal static class GraphVerifyCommand
{
    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("DB")
        {
            Description = "Decision graph files (decisions.db); cross-links resolve among all of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("verify", "Check every signature, each chain and the cross-links between the graphs") { files };
        command.SetAction(parse => Run(parse.GetRequiredValue(files), console));
        return command;
    }

    private static int Run(string[] paths, CliConsole console)
    {
        var result = DecisionGraphVerifier.Verify(paths.Select(GraphCommand.RequireFile));
        foreach (var graph in result.Graphs)
        {
            var owner = graph.Agent.IsDefault ? "no owner" : graph.Agent.ToString();
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{graph.Path}: {owner}, {Count(graph.Records, "record")}, {Count(graph.PeerRecords, "peer record")}"));
        }

        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"agents: {result.Agents}, records: {result.Records}, cross-links: {result.ResolvedLinks} resolved, {result.UnresolvedLinks} unresolved"));
        foreach (var warning in result.Warnings)
        {
            console.Report($"warning: {warning}");
        }

        if (result.IsValid)
        {
            console.Out.WriteLine("valid");
            return ExitCodes.Ok;
        }

        foreach (var error in result.Errors)
        {
            console.Report(error.ToString());
        }

        return ExitCodes.Failure;
    }

    private static string Count(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
}
