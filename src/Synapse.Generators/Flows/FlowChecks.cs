using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;

namespace Synapse.Generators.Flows;

/// <summary>
/// The flow rules that need the whole flow or the <c>TRIGGERS</c> file: file format errors, unknown triggers,
/// conflicting files, reactive senders no receiver can trigger, and states no arrow reaches.
/// </summary>
internal static class FlowChecks
{
    public static EquatableArray<DiagnosticInfo> Run(IReadOnlyList<FlowCheckModel> nodes, IReadOnlyList<TriggersFile> files)
    {
        var result = new List<DiagnosticInfo>();
        foreach (var file in files.OrderBy(f => f.Path, System.StringComparer.Ordinal))
        {
            foreach (var error in file.Errors)
            {
                var span = new LinePositionSpan(new LinePosition(error.Line, error.Column), new LinePosition(error.Line, error.Column + error.Length));
                result.Add(new DiagnosticInfo(DiagnosticIds.InvalidTriggersFile, new LocationInfo(file.Path, new TextSpan(error.Start, error.Length), span), new EquatableArray<string>(new[] { error.Message, error.Fix })));
            }
        }

        var chosen = TriggerResolution.ByNamespace(nodes.Select(n => (n.Namespace, n.FilePath)), files);
        foreach (var node in nodes)
        {
            chosen.TryGetValue(node.Namespace, out var file);
            var nearest = TriggerResolution.Nearest(node.FilePath, files);
            if (nearest is not null && file is not null && nearest.Path != file.Path)
            {
                result.Add(Info(DiagnosticIds.ConflictingTriggersFiles, node.NodeLocation, node.TypeName, nearest.Path, node.Namespace.Length == 0 ? "<global>" : node.Namespace, file.Path));
            }

            Triggers(node, file, result);
            Senders(node, result);
            States(node, result);
        }

        return result.ToEquatableArray();
    }

    private static void Triggers(FlowCheckModel node, TriggersFile? file, List<DiagnosticInfo> result)
    {
        var reported = new HashSet<string>();
        foreach (var use in node.TriggerUses)
        {
            if (file is null)
            {
                if (reported.Add(use.Method))
                {
                    result.Add(Info(DiagnosticIds.MissingTriggersFile, use.Location, use.Method));
                }

                continue;
            }

            if (!file.Errors.IsEmpty || file.Find(use.Name, out var ambiguous) is not null)
            {
                continue;
            }

            var (why, fix) = ambiguous
                ? ("which is ambiguous in TRIGGERS", "its dotted path, one of " + string.Join(", ", file.Entries.Where(e => e.Name == use.Name).Select(e => "'" + e.QualifiedName + "'")))
                : ("which is not in " + file.Path, "a trigger of that file, or add '" + use.Name + "' to it");
            result.Add(Info(DiagnosticIds.UnknownTrigger, use.Location, use.Method, use.Name, why, fix));
        }
    }

    private static void Senders(FlowCheckModel node, List<DiagnosticInfo> result)
    {
        var receivers = node.Routes.Where(r => r.IsReceiver).ToList();
        foreach (var sender in node.Routes.Where(r => r.IsReactiveSender))
        {
            if (!receivers.Any(r => sender.Route.Accepts(r.Route)))
            {
                result.Add(Info(DiagnosticIds.SenderNeverTriggered, sender.Literal, sender.Method, sender.Route.Canonical));
            }
        }
    }

    private static void States(FlowCheckModel node, List<DiagnosticInfo> result)
    {
        var receivers = node.Routes.Where(r => r.IsReceiver).ToList();
        var reached = new HashSet<string>();
        foreach (var route in receivers.Where(r => r.Route.IsArrow))
        {
            foreach (var state in route.Route.Labels.Concat(route.Route.Targets))
            {
                reached.UnionWith(Names(state));
            }
        }

        var reported = new HashSet<string>();
        foreach (var route in receivers)
        {
            foreach (var state in route.Route.Sources)
            {
                foreach (var name in Names(state))
                {
                    if (!reached.Contains(name) && reported.Add(name))
                    {
                        result.Add(Info(DiagnosticIds.UnreachableState, Inside(route, state), name, route.Route.Canonical, route.Method));
                    }
                }
            }
        }
    }

    /// <summary>The state names a node stands for: a plain name, or the names of <c>/oneof</c>.</summary>
    private static IEnumerable<string> Names(RouteNode node) => node.Kind switch
    {
        RouteNodeKind.Plain => new[] { node.Name },
        RouteNodeKind.OneOf => node.Names,
        _ => System.Array.Empty<string>(),
    };

    private static LocationInfo? Inside(RouteCheck route, RouteNode node)
    {
        if (route.Literal is null)
        {
            return null;
        }

        var span = LiteralSpans.Span(route.Literal.Span, route.SourceMap, node.Offset, node.Length);
        return route.Literal with { Span = span };
    }

    private static DiagnosticInfo Info(string id, LocationInfo? location, params string[] arguments) =>
        new(id, location, new EquatableArray<string>(arguments));
}
