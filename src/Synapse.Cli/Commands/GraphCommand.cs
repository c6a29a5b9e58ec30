using System.CommandLine;

namespace Synapse.Cli.Commands;

/// <summary><c>synapse graph verify|export</c>: checks and writes decision graphs (<c>decisions.db</c>).</summary>
internal static class GraphCommand
{
    public static Command Create(CliConsole console) =>
        new("graph", "Verify or export agents' signed decision graphs (decisions.db)")
        {
            GraphVerifyCommand.Create(console),
            GraphExportCommand.Create(console),
        };

    /// <summary>Refuses a path that is not a file, as a usage error naming it.</summary>
    public static string RequireFile(string path) =>
        File.Exists(path)
            ? path
            : throw CliException.Usage(Directory.Exists(path) ? $"'{path}' is a directory; give its decisions.db" : $"cannot open '{path}': file not found");
}
