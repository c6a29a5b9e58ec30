using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Synapse.Generators.Common;

/// <summary>
/// Orders symbols independently of the order of syntax trees in the compilation (file path, then position), so that
/// reordering files never changes generated output.
/// </summary>
internal static class SymbolOrdering
{
    public static IEnumerable<ISymbol> Members(INamedTypeSymbol type) =>
        type.GetMembers()
            .Select((member, index) => (member, index))
            .OrderBy(x => Path(x.member), StringComparer.Ordinal)
            .ThenBy(x => Position(x.member))
            .ThenBy(x => x.index)
            .Select(x => x.member);

    public static IEnumerable<AttributeData> Attributes(IEnumerable<AttributeData> attributes) =>
        attributes
            .Select((attribute, index) => (attribute, index))
            .OrderBy(x => x.attribute.ApplicationSyntaxReference?.SyntaxTree.FilePath ?? "", StringComparer.Ordinal)
            .ThenBy(x => x.attribute.ApplicationSyntaxReference?.Span.Start ?? 0)
            .ThenBy(x => x.index)
            .Select(x => x.attribute);

    private static string Path(ISymbol symbol)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return location.SourceTree!.FilePath;
            }
        }

        return "";
    }

    private static int Position(ISymbol symbol)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return location.SourceSpan.Start;
            }
        }

        return 0;
    }
}
