using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;
using Synapse.Generators.Nodes;

namespace Synapse.Generators.Flows;

/// <summary>
/// The flow part of the generator: per [AgentNode] with flow members a <c>.Flow.g.cs</c> file, per namespace of such
/// nodes a <c>Trigger.g.cs</c> from the <c>TRIGGERS</c> additional file, and the whole-flow diagnostics.
/// </summary>
internal static class FlowPipeline
{
    /// <summary>The name of the additional file that declares the triggers.</summary>
    public const string TriggersFileName = "TRIGGERS";

    public static void Initialize(IncrementalGeneratorInitializationContext context, Func<GeneratorAttributeSyntaxContext, bool> isPrimary)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.AgentNodeAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                (ctx, ct) => Transform(ctx, isPrimary, ct))
            .WithTrackingName(TrackingNames.FlowResults);

        var files = context.AdditionalTextsProvider
            .Where(static file => Path.GetFileName(file.Path) == TriggersFileName)
            .Select(static (file, ct) => TriggersParser.Parse(file.Path, file.GetText(ct)?.ToString() ?? ""))
            .Collect()
            .Select(static (files, _) => files.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.TriggersFiles);

        var models = results
            .Select(static (r, _) => r.Model)
            .Where(static m => m is not null)
            .Collect()
            .Select(static (models, _) => models.Select(m => m!).OrderBy(m => m.HintName, StringComparer.Ordinal).ToEquatableArray())
            .Combine(files);

        var nodeOutputs = models
            .SelectMany(static (pair, _) => NodeOutputs(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.FlowModels);
        context.RegisterSourceOutput(nodeOutputs, static (spc, output) => Emit(spc, output.Model.HintName, output.Model.TypeName, () => FlowEmitter.Emit(output.Model, output.Triggers)));

        var triggerClasses = models
            .SelectMany(static (pair, _) => TriggerClasses(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.TriggerClasses);
        context.RegisterSourceOutput(triggerClasses, static (spc, model) => Emit(spc, model.HintName, "Trigger", () => TriggerEmitter.Emit(model)));

        var diagnostics = results
            .Select(static (r, _) => (r.Check, r.Diagnostics))
            .Collect()
            .Combine(files)
            .Select(static (pair, _) => Diagnostics(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.FlowDiagnostics);
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, pair) =>
        {
            foreach (var diagnostic in pair.Left)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
            }
        });
    }

    private static FlowResult Transform(GeneratorAttributeSyntaxContext context, Func<GeneratorAttributeSyntaxContext, bool> isPrimary, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        try
        {
            if (!isPrimary(context))
            {
                return new FlowResult(null, null, default);
            }

            var analysis = FlowAnalysis.Analyze(type, new KnownSymbols(context.SemanticModel.Compilation), cancellationToken);
            var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
            var check = analysis.BuildCheck(ns);
            if (type.IsStatic || !NodeAnalysis.IsPartialChain(type))
            {
                return new FlowResult(null, check, default); // SYN001 says why
            }

            var containing = new List<string>();
            var hint = new List<string>();
            for (var t = type.ContainingType; t is not null; t = t.ContainingType)
            {
                containing.Insert(0, NodeAnalysis.Declaration(t));
            }

            for (var t = type; t is not null; t = t.ContainingType)
            {
                hint.Insert(0, t.Arity > 0 ? t.Name + "_" + t.Arity.ToString(CultureInfo.InvariantCulture) : t.Name);
            }

            if (ns.Length > 0)
            {
                hint.Insert(0, ns);
            }

            var model = analysis.BuildModel(string.Join(".", hint), ns, containing.ToEquatableArray(), NodeAnalysis.Declaration(type));
            return new FlowResult(model, check, default);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var location = context.TargetNode is BaseTypeDeclarationSyntax declaration ? declaration.Identifier.GetLocation() : context.TargetNode.GetLocation();
            var message = e.GetType().Name + ": " + e.Message.Replace("\r", " ").Replace("\n", " ");
            var error = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, type.ToDisplayString(), message);
            return new FlowResult(null, null, new EquatableArray<DiagnosticInfo>(new[] { error }));
        }
    }

    private static IEnumerable<FlowOutput> NodeOutputs(EquatableArray<FlowNodeModel> models, EquatableArray<TriggersFile> files)
    {
        var chosen = TriggerResolution.ByNamespace(models.Select(m => (m.Namespace, m.FilePath)), files);
        foreach (var model in models)
        {
            yield return new FlowOutput(model, chosen.TryGetValue(model.Namespace, out var file) ? file.Entries : default);
        }
    }

    private static IEnumerable<TriggerClassModel> TriggerClasses(EquatableArray<FlowNodeModel> models, EquatableArray<TriggersFile> files)
    {
        var chosen = TriggerResolution.ByNamespace(models.Select(m => (m.Namespace, m.FilePath)), files);
        foreach (var pair in chosen.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (pair.Value.Errors.IsEmpty)
            {
                yield return new TriggerClassModel(pair.Key, pair.Value.Path, pair.Value.Entries);
            }
        }
    }

    private static EquatableArray<DiagnosticInfo> Diagnostics(ImmutableArray<(FlowCheckModel? Check, EquatableArray<DiagnosticInfo> Diagnostics)> results, EquatableArray<TriggersFile> files)
    {
        var checks = results.Where(r => r.Check is not null).Select(r => r.Check!).OrderBy(c => c.FilePath, StringComparer.Ordinal).ThenBy(c => c.TypeName, StringComparer.Ordinal).ToList();
        return results.SelectMany(r => r.Diagnostics).Concat(FlowChecks.Run(checks, files)).ToEquatableArray();
    }

    private static void Emit(SourceProductionContext context, string hintName, string typeName, Func<string> emit)
    {
        try
        {
            context.AddSource(hintName, SourceText.From(emit(), System.Text.Encoding.UTF8));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, typeName, e.GetType().Name + ": " + e.Message));
        }
    }

    /// <summary>A node's model with the triggers of its namespace's file.</summary>
    private sealed record FlowOutput(FlowNodeModel Model, EquatableArray<TriggerEntry> Triggers);
}
