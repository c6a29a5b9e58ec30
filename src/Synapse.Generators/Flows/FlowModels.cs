using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;

namespace Synapse.Generators.Flows;

/// <summary>How a flow method is awaited.</summary>
internal enum AwaitKind
{
    None,
    Task,
    ValueTask,
}

/// <summary>A parameter that receives a value (payload or event data) cast from <c>object?</c>.</summary>
/// <param name="TypeName">The fully qualified type.</param>
/// <param name="IsObject">Whether it is <c>object</c> (no cast).</param>
/// <param name="AllowsNull">Whether null passes (nullable reference or <c>Nullable&lt;T&gt;</c>).</param>
/// <param name="TestTypeName">The type for the <c>is</c> test (the underlying type of a <c>Nullable&lt;T&gt;</c>).</param>
internal sealed record ValueParameter(string TypeName, bool IsObject, bool AllowsNull, string TestTypeName);

/// <summary>How generated code calls a flow method.</summary>
/// <param name="MethodName">The escaped identifier.</param>
/// <param name="IsStatic">Whether the method is static.</param>
/// <param name="Value">The payload or data parameter, if any.</param>
/// <param name="TakesCancellationToken">Whether a token is passed last.</param>
/// <param name="Await">How the result is awaited.</param>
/// <param name="ReturnsValue">Whether there is a result (after awaiting).</param>
internal sealed record FlowCall(string MethodName, bool IsStatic, ValueParameter? Value, bool TakesCancellationToken, AwaitKind Await, bool ReturnsValue);

/// <summary>A valid <c>[Receive]</c> method.</summary>
internal sealed record ReceiverModel(string Name, ParsedRoute Route, EquatableArray<int> Priority, FlowCall Call);

/// <summary>A valid <c>[Send]</c> method; <paramref name="Triggers"/> are the names as written.</summary>
internal sealed record SenderModel(
    string Name,
    ParsedRoute Route,
    EquatableArray<string> Triggers,
    int Actions,
    bool Multi,
    bool UseData,
    double Every,
    string? RunWhile,
    FlowCall Call);

/// <summary>A valid <c>[Hook]</c> method (<paramref name="Direction"/>: 0 receive, 1 send).</summary>
internal sealed record HookModel(string Name, int Direction, EquatableArray<int> Priority, FlowCall Call);

/// <summary>Everything needed to emit a node's <c>IFlowNode</c> implementation (no locations: cache-friendly).</summary>
internal sealed record FlowNodeModel(
    string Namespace,
    string TypeName,
    string ClassName,
    string HintName,
    string FilePath,
    EquatableArray<string> ContainingTypeDeclarations,
    string Declaration,
    EquatableArray<ReceiverModel> Receivers,
    EquatableArray<SenderModel> Senders,
    EquatableArray<HookModel> Hooks,
    FlowCall? Upload,
    FlowCall? Download);

/// <summary>A route for the whole-flow checks, with the location of its literal and the value-to-source offset map.</summary>
internal sealed record RouteCheck(string Method, bool IsReceiver, bool IsReactiveSender, ParsedRoute Route, LocationInfo? Literal, EquatableArray<int> SourceMap);

/// <summary>A trigger name used by a sender's <c>OnTriggers</c>, and where.</summary>
internal sealed record TriggerUse(string Name, string Method, LocationInfo? Location);

/// <summary>What the generator checks once the whole flow and the <c>TRIGGERS</c> file are known (holds locations, so it only feeds diagnostics).</summary>
internal sealed record FlowCheckModel(string Namespace, string TypeName, string FilePath, LocationInfo? NodeLocation, EquatableArray<RouteCheck> Routes, EquatableArray<TriggerUse> TriggerUses);

/// <summary>The output of the flow transform.</summary>
internal sealed record FlowResult(FlowNodeModel? Model, FlowCheckModel? Check, EquatableArray<DiagnosticInfo> Diagnostics);
