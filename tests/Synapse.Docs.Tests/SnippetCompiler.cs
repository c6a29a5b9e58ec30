using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Synapse.Generators;
using Synapse.Rpc;

namespace Synapse.Docs.Tests;

/// <summary>What compiling an example with the Synapse generator and analyzer gave.</summary>
/// <param name="Diagnostics">The compiler's, the generator's and the analyzer's warnings and errors.</param>
/// <param name="Generated">The generated sources, by hint name.</param>
internal sealed record CompiledExample(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyDictionary<string, string> Generated);

/// <summary>Compiles examples that this project cannot compile itself, as an application would: with the BCL, the
/// Synapse assemblies, the generator (and a TRIGGERS file when there is one) and the analyzer.</summary>
internal static class SnippetCompiler
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(AgentNodeAttribute).Assembly.Location);
        paths.Add(typeof(AgentDispatcher).Assembly.Location);
        return [.. paths.Distinct(StringComparer.Ordinal).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    });

    /// <summary>Compiles the C# files given (absolute paths), with the TRIGGERS files given as additional files.</summary>
    public static async Task<CompiledExample> CompileAsync(IEnumerable<string> sources, IEnumerable<string> triggers)
    {
        var trees = sources.Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), s_parseOptions, path)).ToList();
        var compilation = CSharpCompilation.Create(
            "DocsExample",
            trees,
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var additional = triggers.Select(path => (AdditionalText)new FileText(path)).ToImmutableArray();
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new AgentNodeGenerator().AsSourceGenerator()], additional, s_parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        var analyzed = output.WithAnalyzers([new SynapseAnalyzer()], new AnalyzerOptions(additional));
        var analyzerDiagnostics = await analyzed.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);

        var diagnostics = output.GetDiagnostics().Concat(generatorDiagnostics).Concat(analyzerDiagnostics)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Distinct()
            .ToList();
        var generated = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        return new CompiledExample(diagnostics, generated);
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }
}
