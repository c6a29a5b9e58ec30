using System.Text.RegularExpressions;

namespace Synapse.Docs.Tests;

/// <summary>
/// Every benchmark command the docs show names a mode the benchmark program runs. The harnesses themselves are not run
/// by the tests (they take minutes and their figures are not assertions); this keeps their documented commands true.
/// </summary>
public sealed partial class BenchmarkCommandTests
{
    [Fact]
    public void Every_documented_benchmark_command_names_a_mode_of_the_program()
    {
        var program = File.ReadAllText(Repository.Full("benchmarks/Synapse.Benchmarks/Program.cs"));
        var modes = ModeRegex().Matches(program).Select(m => m.Groups["mode"].Value).ToHashSet(StringComparer.Ordinal);
        var commands = Repository.Docs()
            .SelectMany(doc => Markdown.CodeBlocks(doc, File.ReadAllLines(Repository.Full(doc))))
            .SelectMany(block => block.Lines.Select(line => (block.Doc, Line: line.Trim())))
            .Where(c => c.Line.StartsWith("dotnet run", StringComparison.Ordinal) && c.Line.Contains("benchmarks/Synapse.Benchmarks", StringComparison.Ordinal))
            .ToList();

        Assert.Contains("harness", modes);
        Assert.NotEmpty(commands);
        foreach (var (doc, line) in commands)
        {
            var arguments = line[(line.IndexOf(" -- ", StringComparison.Ordinal) + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(arguments[0].StartsWith("--", StringComparison.Ordinal) || modes.Contains(arguments[0]),
                $"{doc}: '{line}' runs mode '{arguments[0]}', which benchmarks/Synapse.Benchmarks/Program.cs does not have ({string.Join(", ", modes.Order())})");
        }
    }

    [GeneratedRegex("args is \\[\"(?<mode>[a-z-]+)\"")]
    private static partial Regex ModeRegex();
}
