using System.Linq;
using Microsoft.CodeAnalysis;
using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>Checks the signatures of flow methods and describes how to call them; errors are what is wrong and how to fix it, for SYN019.</summary>
internal sealed class FlowSignatures
{
    private readonly KnownSymbols _known;

    public FlowSignatures(KnownSymbols known) => _known = known;

    /// <summary>What a flow method must return (after awaiting).</summary>
    public enum Result
    {
        /// <summary><c>FlowEvent?</c>.</summary>
        FlowEvent,

        /// <summary>Any value (sent, or returned as the payload/states).</summary>
        Value,

        /// <summary>A value that is a list of payloads.</summary>
        Values,

        /// <summary>Nothing (<c>void</c>, <c>Task</c>, <c>ValueTask</c>).</summary>
        Nothing,
    }

    /// <summary>What the one value parameter may be.</summary>
    public enum Input
    {
        /// <summary>No value parameter.</summary>
        None,

        /// <summary>A payload: <c>object?</c>, <c>string</c>, <c>MsgPackValue</c>, a transport's message or a <c>[SynapseMessage]</c> type.</summary>
        Payload,

        /// <summary>Any type (event data, cast at run time).</summary>
        Any,

        /// <summary>A <c>StateTape</c>.</summary>
        StateTape,
    }

    public FlowCall? Check(IMethodSymbol method, Input input, Result result, out FlowProblem? error)
    {
        error = null;
        if (method.IsGenericMethod)
        {
            error = new("it is generic, but a flow method cannot be", "it non-generic (remove its type parameters)");
            return null;
        }

        var parameters = method.Parameters.ToList();
        if (parameters.Any(p => p.RefKind != RefKind.None))
        {
            error = new("it has ref, out or in parameters, which a flow method cannot have", "its parameters by-value parameters (remove ref, out and in)");
            return null;
        }

        var takesToken = parameters.Count > 0 && KnownSymbols.Is(parameters[parameters.Count - 1].Type, _known.CancellationToken);
        if (takesToken)
        {
            parameters.RemoveAt(parameters.Count - 1);
        }

        ValueParameter? value = null;
        var expected = input == Input.None ? 0 : 1;
        if (parameters.Count != expected)
        {
            var has = "it has " + (parameters.Count == 0 ? "no parameter" : parameters.Count == 1 ? "1 parameter" : parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " parameters") + " besides a final CancellationToken";
            error = input switch
            {
                Input.None => new(has + ", but a sender without UseData takes none", "it take no parameters (a final CancellationToken is allowed), or set UseData = true to receive the event's data"),
                Input.StateTape => new(has + ", but it takes the StateTape", "it take one StateTape parameter (and optionally a CancellationToken last)"),
                Input.Any => new(has + ", but with UseData it takes the event's data", "it take one data parameter (and optionally a CancellationToken last)"),
                _ => new(has + ", but it takes the payload", "it take one payload parameter (and optionally a CancellationToken last)"),
            };
            return null;
        }

        if (expected == 1)
        {
            value = Value(parameters[0].Type, input, out error);
            if (value is null)
            {
                return null;
            }
        }

        var (awaitKind, inner) = Unwrap(method.ReturnType);
        var returnsValue = inner is not null;
        var ok = result switch
        {
            Result.FlowEvent => inner is not null && KnownSymbols.Is(inner, _known.Flow.FlowEvent),
            Result.Nothing => inner is null,
            Result.Values => inner is not null && inner.SpecialType != SpecialType.System_String && IsEnumerable(inner),
            _ => inner is not null,
        };
        if (!ok)
        {
            var returned = "it returns '" + Display(method.ReturnType) + "'";
            error = result switch
            {
                Result.FlowEvent => new(returned, "it return FlowEvent?, Task<FlowEvent?> or ValueTask<FlowEvent?>"),
                Result.Nothing => new(returned, "it return void, Task or ValueTask"),
                Result.Values => new(returned + ", which is not a list of payloads (with Multi a sender returns several)", "it return an IEnumerable other than string (as in List<string>), or a Task or ValueTask of one"),
                _ => new(returned + ", but it must return a value", "it return a value (object?, string, …), or a Task or ValueTask of one"),
            };
            return null;
        }

        return new FlowCall(Literals(method.Name), method.IsStatic, value, takesToken, awaitKind, returnsValue);
    }

    /// <summary>The expression that reads a bool property or parameterless bool method named <paramref name="name"/>, or null.</summary>
    public static string? RunWhile(INamedTypeSymbol type, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers(name))
            {
                var owner = member.IsStatic ? t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : "agent";
                switch (member)
                {
                    case IPropertySymbol { Parameters.Length: 0, GetMethod: not null } property when property.Type.SpecialType == SpecialType.System_Boolean:
                        return owner + "." + Literals(name);
                    case IMethodSymbol { Parameters.Length: 0, IsGenericMethod: false } method when method.ReturnType.SpecialType == SpecialType.System_Boolean:
                        return owner + "." + Literals(name) + "()";
                }
            }
        }

        return null;
    }

    // What the flow transports hand to receivers (RelayClientFlows.RunFlow on a relay, SummonerRelayClientFlows.RunFlow on a Summoner relay).
    private const string TransportMessage = "global::Synapse.Relay.Client.RelayMessage";
    private const string SummonerTransportMessage = "global::Synapse.Relay.Summoner.SummonerMessage";

    private ValueParameter? Value(ITypeSymbol type, Input input, out FlowProblem? error)
    {
        error = null;
        var allowsNull = type.NullableAnnotation == NullableAnnotation.Annotated || !type.IsValueType && type.NullableAnnotation == NullableAnnotation.None;
        var test = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        var name = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var testName = test.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var isObject = type.SpecialType == SpecialType.System_Object;
        var supported = input switch
        {
            Input.StateTape => KnownSymbols.Is(type, _known.Flow.StateTape),
            Input.Any => type.TypeKind != TypeKind.Pointer && !type.IsRefLikeType,
            _ => isObject || type.SpecialType == SpecialType.System_String || KnownSymbols.Is(test, _known.MsgPackValue) ||
                 testName is TransportMessage or SummonerTransportMessage ||
                 (test is INamedTypeSymbol named && _known.Has(named, _known.SynapseMessageAttribute)),
        };
        if (!supported)
        {
            error = input == Input.StateTape
                ? new("its parameter has type '" + Display(type) + "', not StateTape", "the parameter a StateTape")
                : new("its payload parameter has type '" + Display(type) + "'", "the payload parameter object?, string, MsgPackValue, RelayMessage, SummonerMessage or a [SynapseMessage] type");
            return null;
        }

        return new ValueParameter(name, isObject, allowsNull || test.SpecialType == SpecialType.System_Object, testName);
    }

    private (AwaitKind Kind, ITypeSymbol? Inner) Unwrap(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return (AwaitKind.None, null);
        }

        if (KnownSymbols.Is(type, _known.Task))
        {
            return (AwaitKind.Task, null);
        }

        if (KnownSymbols.Is(type, _known.ValueTask))
        {
            return (AwaitKind.ValueTask, null);
        }

        if (type is INamedTypeSymbol { TypeArguments.Length: 1 } named)
        {
            if (KnownSymbols.Is(type, _known.TaskOfT))
            {
                return (AwaitKind.Task, named.TypeArguments[0]);
            }

            if (KnownSymbols.Is(type, _known.ValueTaskOfT))
            {
                return (AwaitKind.ValueTask, named.TypeArguments[0]);
            }
        }

        return (AwaitKind.None, type);
    }

    private static bool IsEnumerable(ITypeSymbol type) =>
        type is IArrayTypeSymbol || type.AllInterfaces.Any(i => i.ToDisplayString() == "System.Collections.IEnumerable") ||
        type.ToDisplayString() == "System.Collections.IEnumerable";

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    private static string Literals(string name) => Common.Literals.Identifier(name);
}

/// <summary>Why a flow method is invalid (<see cref="Problem"/>) and how to fix it (<see cref="Fix"/>, the object of "make …").</summary>
internal sealed record FlowProblem(string Problem, string Fix);
