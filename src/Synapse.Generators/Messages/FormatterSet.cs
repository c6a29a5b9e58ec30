using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;

namespace Synapse.Generators.Messages;

/// <summary>The types whose formatters generated code calls.</summary>
/// <param name="Helpers">Collections, enums, nullable wrappers and other helper-backed types, ordinal by mangled name.</param>
/// <param name="Messages">Message types, ordinal by mangled name.</param>
internal sealed record FormatterSet(EquatableArray<TypeModel> Helpers, EquatableArray<MessageModel> Messages)
{
    public static FormatterSet Empty { get; } = new(EquatableArray<TypeModel>.Empty, EquatableArray<MessageModel>.Empty);

    public bool IsEmpty => Helpers.IsEmpty && Messages.IsEmpty;
}

/// <summary>The output of the [SynapseMessage] transform.</summary>
internal sealed record MessageResult(FormatterSet Formatters, EquatableArray<DiagnosticInfo> Diagnostics);
