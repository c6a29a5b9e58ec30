using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;
using Synapse.Generators.Flows;
using Synapse.Generators.Messages;
using Synapse.Generators.Nodes;

namespace Synapse.Generators;

/// <summary>
/// Reports the declarative Synapse rules (everything except the generator category: SYN002, SYN010, SYN016–SYN018,
/// SYN022–SYN024 and SYN9999)
/// with the same shared analysis the generator uses, so the IDE shows them as you type and
/// <c>#pragma</c>, <c>[SuppressMessage]</c> and <c>.editorconfig</c> work as for any analyzer.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SynapseAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NodeNotPartial,
        DiagnosticDescriptors.ReservedEndpointPrefix,
        DiagnosticDescriptors.InvalidEndpointName,
        DiagnosticDescriptors.UnsupportedParameterType,
        DiagnosticDescriptors.UnsupportedReturnType,
        DiagnosticDescriptors.MultipleCancellationTokens,
        DiagnosticDescriptors.AsyncVoid,
        DiagnosticDescriptors.AttributeOutsideNode,
        DiagnosticDescriptors.InvalidBackgroundJob,
        DiagnosticDescriptors.InvalidMessageType,
        DiagnosticDescriptors.InvalidEndpointSignature,
        DiagnosticDescriptors.InvalidRoute,
        DiagnosticDescriptors.InvalidArrowStyle,
        DiagnosticDescriptors.InvalidFlowMethod,
        DiagnosticDescriptors.DuplicateHookPriority,
        DiagnosticDescriptors.MultipleStateMethods,
        DiagnosticDescriptors.DuplicateReceiverRoute,
        DiagnosticDescriptors.MalformedCronExpression,
        DiagnosticDescriptors.UnknownSolarEvent,
        DiagnosticDescriptors.CoordinateOutOfRange,
        DiagnosticDescriptors.InvalidScheduleInterval);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = new KnownSymbols(start.Compilation);
            if (known.AgentNodeAttribute is null && known.SynapseMessageAttribute is null)
            {
                return; // Synapse.Abstractions is not referenced
            }

            start.RegisterSymbolAction(ctx => AnalyzeType(ctx, known), SymbolKind.NamedType);
            start.RegisterSymbolAction(ctx => AnalyzeMethod(ctx, known), SymbolKind.Method);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (known.Has(type, known.AgentNodeAttribute))
        {
            var analysis = NodeAnalysis.Analyze(type, known, buildModel: false, context.CancellationToken);
            foreach (var finding in analysis.Findings)
            {
                if (finding.Descriptor.Id is not (DiagnosticIds.DuplicateEndpointName or DiagnosticIds.MultipleTaskHandlers))
                {
                    context.ReportDiagnostic(finding.ToDiagnostic());
                }
            }

            foreach (var finding in FlowAnalysis.Analyze(type, known, context.CancellationToken).Findings)
            {
                context.ReportDiagnostic(finding.ToDiagnostic());
            }
        }

        if (known.Has(type, known.SynapseMessageAttribute))
        {
            foreach (var finding in MessageAnalysis.Validate(type, known, context.CancellationToken))
            {
                context.ReportDiagnostic(finding.ToDiagnostic());
            }
        }
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownSymbols known)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.ContainingType is null || known.Has(method.ContainingType, known.AgentNodeAttribute))
        {
            return;
        }

        Report(known.Find(method, known.EndpointAttribute), "Endpoint");
        Report(known.Find(method, known.TaskHandlerAttribute), "TaskHandler");
        foreach (var (attribute, name) in known.ScheduleAttributes)
        {
            Report(known.Find(method, attribute), name);
        }

        foreach (var (attribute, name) in known.Flow.MethodAttributes)
        {
            Report(known.Find(method, attribute), name);
        }

        void Report(AttributeData? attribute, string name)
        {
            if (attribute is null)
            {
                return;
            }

            var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? method.Locations[0];
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.AttributeOutsideNode,
                location,
                name,
                method.Name,
                method.ContainingType.Name));
        }
    }
}
