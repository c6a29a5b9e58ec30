using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;

namespace Synapse.Generators.Flows;

/// <summary>Attribute reading, route locations and the models.</summary>
internal sealed partial class FlowAnalysis
{
    /// <summary>The emission model (null when the node has no flow members).</summary>
    public FlowNodeModel? BuildModel(string hintPrefix, string ns, EquatableArray<string> containing, string declaration)
    {
        if (!HasFlowMembers)
        {
            return null;
        }

        var hooks = _hooks.Select((h, i) => (h, i)).OrderBy(x => x.h.Priority, PriorityComparer.Instance).ThenBy(x => x.i).Select(x => x.h);
        return new FlowNodeModel(
            ns,
            _type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            _type.Name,
            hintPrefix + ".Flow.g.cs",
            FilePath(),
            containing,
            declaration,
            _receivers.ToEquatableArray(),
            _senders.ToEquatableArray(),
            hooks.ToEquatableArray(),
            _upload,
            _download);
    }

    /// <summary>The check model (null when the node has no flow members).</summary>
    public FlowCheckModel? BuildCheck(string ns) => HasFlowMembers
        ? new FlowCheckModel(ns, _type.ToDisplayString(), FilePath(), LocationInfo.From(_type.Locations.FirstOrDefault()), _routes.ToEquatableArray(), _triggerUses.ToEquatableArray())
        : null;

    private string FilePath() => _type.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree?.FilePath ?? "";

    private ParsedRoute? Route(IMethodSymbol method, AttributeData attribute, bool isReceiver, bool isReactiveSender)
    {
        var route = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        var expression = PositionalArgument(attribute);
        var map = LiteralSpans.Map(expression);
        if (route is null)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidRoute, expression?.GetLocation() ?? AttributeLocation(attribute), method.Name, "(null)", "a route cannot be null", "a route string (as in 'ready --> done')"));
            return null;
        }

        var result = RouteParser.Parse(route, _styles);
        if (result.Route is null)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidRoute, Inside(expression, map, result.ErrorOffset, result.ErrorLength) ?? AttributeLocation(attribute), method.Name, route, result.Error!, result.Fix!));
            return null;
        }

        if (isReceiver && result.Route.Sources.IsEmpty && !result.Route.IsArrow)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidRoute, expression?.GetLocation() ?? AttributeLocation(attribute), method.Name, route, "an empty route never fires a receiver", "the states it fires on (as in 'ready'), or an arrow (as in 'ready --> done')"));
            return null;
        }

        _routes.Add(new RouteCheck(method.Name, isReceiver, isReactiveSender, result.Route, LocationInfo.From(expression?.GetLocation()), map));
        return result.Route;
    }

    private static Location? Inside(ExpressionSyntax? expression, EquatableArray<int> map, int offset, int length) =>
        expression is null ? null : Location.Create(expression.SyntaxTree, LiteralSpans.Span(expression.Span, map, offset, length));

    private ExpressionSyntax? PositionalArgument(AttributeData attribute) =>
        AttributeArguments.Arguments(attribute, _cancellationToken)?.FirstOrDefault(a => a.NameEquals is null)?.Expression;

    private ExpressionSyntax? NamedArgumentExpression(AttributeData attribute, string name) => AttributeArguments.NamedSyntax(attribute, name, _cancellationToken)?.Expression;

    /// <summary>The strings of an array-valued named argument, each with the location of its element when it can be found.</summary>
    private List<(string Name, Location? Location)> Strings(AttributeData attribute, string name)
    {
        var result = new List<(string, Location?)>();
        var argument = attribute.NamedArguments.FirstOrDefault(a => a.Key == name);
        if (argument.Key is null || argument.Value.Kind != TypedConstantKind.Array || argument.Value.IsNull)
        {
            return result;
        }

        var expression = NamedArgumentExpression(attribute, name);
        var elements = expression switch
        {
            ArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions.ToList(),
            ImplicitArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions.ToList(),
            CollectionExpressionSyntax collection => collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
            _ => new List<ExpressionSyntax>(),
        };
        var values = argument.Value.Values;
        for (var i = 0; i < values.Length; i++)
        {
            var location = elements.Count == values.Length ? elements[i].GetLocation() : expression?.GetLocation() ?? AttributeLocation(attribute);
            result.Add((values[i].Value as string ?? "", location));
        }

        return result;
    }

    private static EquatableArray<int> IntArray(AttributeData attribute, string name)
    {
        var argument = attribute.NamedArguments.FirstOrDefault(a => a.Key == name);
        return argument.Key is null || argument.Value.Kind != TypedConstantKind.Array || argument.Value.IsNull
            ? default
            : argument.Value.Values.Select(v => v.Value is int i ? i : 0).ToEquatableArray();
    }

    private Location? AttributeLocation(AttributeData attribute) => AttributeArguments.Location(attribute, _cancellationToken);

    /// <summary>Orders priorities element by element, shorter first when one is a prefix of the other.</summary>
    internal sealed class PriorityComparer : IComparer<EquatableArray<int>>
    {
        public static readonly PriorityComparer Instance = new();

        public int Compare(EquatableArray<int> x, EquatableArray<int> y)
        {
            for (var i = 0; i < x.Count && i < y.Count; i++)
            {
                if (x[i] != y[i])
                {
                    return x[i].CompareTo(y[i]);
                }
            }

            return x.Count.CompareTo(y.Count);
        }
    }
}
