using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;
using Synapse.Generators.Flows;
using Synapse.Generators.Messages;
using Synapse.Generators.Nodes;

namespace Synapse.Generators;

/// <summary>
/// Generates, for every <c>[AgentNode]</c> partial class, the <c>IAgentNode</c> implementation with a nested
/// dispatcher and a typed client, plus one assembly-wide <c>SynapseFormatters</c> class for the message types.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class AgentNodeGenerator : IIncrementalGenerator
{
    /// <summary>Test hook: when set, the node transform calls it (to provoke internal failures).</summary>
    internal static Action<string>? TransformHook { get; set; }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var nodes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.AgentNodeAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => TransformNode(ctx, ct))
            .WithTrackingName(TrackingNames.NodeResults);

        var messages = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.SynapseMessageAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => TransformMessage(ctx, ct))
            .WithTrackingName(TrackingNames.MessageResults);

        // (a) one file per node, from equatable models only.
        var models = nodes
            .Select(static (result, _) => result.Node)
            .Where(static model => model is not null)
            .WithTrackingName(TrackingNames.NodeModels);
        context.RegisterSourceOutput(models, static (spc, model) => EmitNode(spc, model!));

        // (b) one assembly-wide formatter file.
        var formatters = nodes
            .Select(static (result, _) => result.Formatters)
            .Collect()
            .Combine(messages.Select(static (result, _) => result.Formatters).Collect())
            .Select(static (pair, _) => Merge(pair.Left.Concat(pair.Right)))
            .WithTrackingName(TrackingNames.Formatters);
        context.RegisterSourceOutput(formatters, static (spc, set) => EmitFormatters(spc, set));

        // (c) diagnostics, turned back into real source locations so #pragma and suppressions work.
        var diagnostics = nodes
            .Select(static (result, _) => result.Diagnostics)
            .Collect()
            .Combine(messages.Select(static (result, _) => result.Diagnostics).Collect())
            .Select(static (pair, _) => pair.Left.Concat(pair.Right).SelectMany(d => d).ToEquatableArray())
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, pair) =>
        {
            foreach (var diagnostic in pair.Left)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
            }
        });

        // (d) flows: IFlowNode implementations, Trigger classes and the whole-flow diagnostics.
        FlowPipeline.Initialize(context, IsPrimaryDeclaration);
    }

    private static NodeResult TransformNode(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        try
        {
            if (!IsPrimaryDeclaration(context))
            {
                return new NodeResult(null, EquatableArray<DiagnosticInfo>.Empty, FormatterSet.Empty);
            }

            TransformHook?.Invoke(type.Name);
            var known = new KnownSymbols(context.SemanticModel.Compilation);
            var analysis = NodeAnalysis.Analyze(type, known, buildModel: true, cancellationToken);
            var diagnostics = analysis.Findings
                .Where(f => f.Descriptor.Id is DiagnosticIds.DuplicateEndpointName or DiagnosticIds.MultipleTaskHandlers)
                .Select(f => f.ToInfo())
                .ToEquatableArray();
            return new NodeResult(analysis.Model, diagnostics, analysis.Formatters);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new NodeResult(null, Failure(type, context.TargetNode, e), FormatterSet.Empty);
        }
    }

    private static MessageResult TransformMessage(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        try
        {
            if (!IsPrimaryDeclaration(context))
            {
                return new MessageResult(FormatterSet.Empty, EquatableArray<DiagnosticInfo>.Empty);
            }

            var known = new KnownSymbols(context.SemanticModel.Compilation);
            return new MessageResult(MessageAnalysis.Formatters(type, known, cancellationToken), EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new MessageResult(FormatterSet.Empty, Failure(type, context.TargetNode, e));
        }
    }

    /// <summary>Partial types reach the transform once per declaration carrying the attribute; keep the one that owns it.</summary>
    private static bool IsPrimaryDeclaration(GeneratorAttributeSyntaxContext context)
    {
        var attributeClass = context.Attributes.FirstOrDefault()?.AttributeClass;
        var first = context.TargetSymbol.GetAttributes()
            .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeClass))
            .Select(a => a.ApplicationSyntaxReference)
            .Where(r => r is not null)
            .OrderBy(r => r!.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(r => r!.Span.Start)
            .FirstOrDefault();
        return first is null || (first.SyntaxTree == context.TargetNode.SyntaxTree && context.TargetNode.Span.Contains(first.Span));
    }

    private static EquatableArray<DiagnosticInfo> Failure(INamedTypeSymbol type, SyntaxNode node, Exception exception)
    {
        var location = node is BaseTypeDeclarationSyntax declaration ? declaration.Identifier.GetLocation() : node.GetLocation();
        var message = exception.GetType().Name + ": " + exception.Message.Replace("\r", " ").Replace("\n", " ");
        return new EquatableArray<DiagnosticInfo>(new[] { DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, type.ToDisplayString(), message) });
    }

    private static FormatterSet Merge(IEnumerable<FormatterSet> sets)
    {
        var helpers = new SortedDictionary<string, TypeModel>(StringComparer.Ordinal);
        var messages = new SortedDictionary<string, MessageModel>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            foreach (var helper in set.Helpers)
            {
                if (!helpers.ContainsKey(helper.Mangled))
                {
                    helpers.Add(helper.Mangled, helper);
                }
            }

            foreach (var message in set.Messages)
            {
                if (!messages.ContainsKey(message.Mangled))
                {
                    messages.Add(message.Mangled, message);
                }
            }
        }

        return new FormatterSet(helpers.Values.ToEquatableArray(), messages.Values.ToEquatableArray());
    }

    private static void EmitNode(SourceProductionContext context, NodeModel model)
    {
        try
        {
            context.AddSource(model.HintName, SourceText.From(NodeEmitter.Emit(model), System.Text.Encoding.UTF8));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, model.TypeName, e.GetType().Name + ": " + e.Message));
        }
    }

    private static void EmitFormatters(SourceProductionContext context, FormatterSet set)
    {
        if (set.IsEmpty)
        {
            return;
        }

        try
        {
            context.AddSource(FormatterEmitter.HintName, SourceText.From(FormatterEmitter.Emit(set), System.Text.Encoding.UTF8));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, "Synapse.Generated.SynapseFormatters", e.GetType().Name + ": " + e.Message));
        }
    }
}
