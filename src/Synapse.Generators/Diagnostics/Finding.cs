using Microsoft.CodeAnalysis;

namespace Synapse.Generators.Diagnostics;

/// <summary>A problem found by the shared analysis, reported by the analyzer or (as <see cref="DiagnosticInfo"/>) by the generator.</summary>
internal readonly struct Finding
{
    public Finding(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        Descriptor = descriptor;
        Location = location;
        Arguments = arguments;
    }

    public DiagnosticDescriptor Descriptor { get; }

    public Location? Location { get; }

    public string[] Arguments { get; }

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location ?? Location.None, Arguments);

    public DiagnosticInfo ToInfo() => DiagnosticInfo.Create(Descriptor, Location, Arguments);
}
