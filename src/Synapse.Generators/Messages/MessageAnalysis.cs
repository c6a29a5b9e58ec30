using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;

namespace Synapse.Generators.Messages;

/// <summary>The shared analysis of a [SynapseMessage] type declared in the compilation (SYN012 and its formatters).</summary>
internal static class MessageAnalysis
{
    public static List<Finding> Validate(INamedTypeSymbol type, KnownSymbols known, CancellationToken cancellationToken)
    {
        var resolver = new TypeResolver(known, cancellationToken);
        var info = resolver.GetMessage(type);
        return info.Errors
            .Select(e => new Finding(DiagnosticDescriptors.InvalidMessageType, e.Location ?? type.Locations.FirstOrDefault(), type.ToDisplayString(), e.Reason))
            .ToList();
    }

    /// <summary>The formatters for <paramref name="type"/> and everything it reaches, or empty when it cannot be generated.</summary>
    public static FormatterSet Formatters(INamedTypeSymbol type, KnownSymbols known, CancellationToken cancellationToken)
    {
        var resolver = new TypeResolver(known, cancellationToken);
        var resolution = resolver.Resolve(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
        if (resolution.Model is null || resolver.FindInvalidMessage(resolution.Model, metadataOnly: false) is not null)
        {
            return FormatterSet.Empty;
        }

        var helpers = new Dictionary<string, TypeModel>(StringComparer.Ordinal);
        var messages = new Dictionary<string, MessageModel>(StringComparer.Ordinal);
        resolver.CollectFormatters(resolution.Model, helpers, messages);
        return new FormatterSet(
            helpers.Values.OrderBy(h => h.Mangled, StringComparer.Ordinal).ToEquatableArray(),
            messages.Values.OrderBy(m => m.Mangled, StringComparer.Ordinal).ToEquatableArray());
    }
}
