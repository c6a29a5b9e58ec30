using System.Collections.Generic;
using System.Linq;
using Synapse.Generators.Common;

namespace Synapse.Generators.Flows;

/// <summary>
/// Emits a node's <c>IFlowNode&lt;T&gt;</c> implementation: a static <c>Flow</c> built once from the routes parsed at
/// compile time (state nodes are constructed directly, nothing is parsed at run time) and lambdas that call the methods.
/// </summary>
internal static class FlowEmitter
{
    private const string Flows = "global::Synapse.Flows.";
    private const string ValueTask = "global::System.Threading.Tasks.ValueTask";

    public static string Emit(FlowNodeModel node, EquatableArray<TriggerEntry> triggers)
    {
        var w = new SourceWriter();
        GeneratedCode.WriteHeader(w);
        if (node.Namespace.Length > 0)
        {
            w.OpenBlock("namespace " + node.Namespace);
        }

        foreach (var containing in node.ContainingTypeDeclarations)
        {
            w.OpenBlock(containing);
        }

        var definition = Flows + "FlowDefinition<" + node.TypeName + ">";
        w.OpenBlock(node.Declaration + " : " + Flows + "IFlowNode<" + node.TypeName + ">");
        w.WriteLine("/// <summary>The flow compiled from the [Receive], [Send], [Hook], [UploadStates] and [DownloadStates] methods.</summary>");
        w.WriteLine(GeneratedCode.Attribute);
        w.WriteLine("public static " + definition + " Flow { get; } = __CreateSynapseFlow();");
        w.WriteLine();
        w.OpenBlock("private static " + definition + " __CreateSynapseFlow()");
        w.WriteLine("return new " + definition);
        w.WriteLine("{");
        w.Indent++;
        List(w, "Receivers", Flows + "FlowReceiver<" + node.TypeName + ">", node.Receivers.Select(r => Receiver(r, node.ClassName)));
        List(w, "Senders", Flows + "FlowSender<" + node.TypeName + ">", node.Senders.Select(s => Sender(s, node, triggers)));
        List(w, "Hooks", Flows + "FlowHook<" + node.TypeName + ">", node.Hooks.Select(h => Hook(h, node.ClassName)));
        if (node.Upload is not null)
        {
            w.WriteLine("UploadStates = " + ValueLambda(node.Upload, "payload", "UploadStates", node.ClassName) + ",");
        }

        if (node.Download is not null)
        {
            w.WriteLine("DownloadStates = " + DownloadLambda(node.Download) + ",");
        }

        w.Indent--;
        w.WriteLine("};");
        w.CloseBlock();
        w.WriteLine();
        WriteCast(w);
        w.CloseBlock();

        for (var i = 0; i < node.ContainingTypeDeclarations.Count; i++)
        {
            w.CloseBlock();
        }

        if (node.Namespace.Length > 0)
        {
            w.CloseBlock();
        }

        return w.ToSourceText();
    }

    private static void List(SourceWriter w, string property, string type, IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            w.WriteLine(property + " = global::System.Array.Empty<" + type + ">(),");
            return;
        }

        w.WriteLine(property + " = new " + type + "[]");
        w.WriteLine("{");
        w.Indent++;
        foreach (var item in list)
        {
            w.WriteLine(item + ",");
        }

        w.Indent--;
        w.WriteLine("},");
    }

    private static string Receiver(ReceiverModel r, string className) =>
        "new(" + Literals.String(r.Name) + ", " + Route(r.Route) + ", " + Ints(r.Priority) + ",\n    " +
        Lambda(r.Call, "payload", Flows + "FlowEvent?", r.Name, className) + ")";

    private static string Sender(SenderModel s, FlowNodeModel node, EquatableArray<TriggerEntry> triggers)
    {
        var signals = s.Triggers
            .Select(name => new TriggersFile("", "", triggers, default).Find(name, out _))
            .Where(entry => entry is not null)
            .Select(entry => (node.Namespace.Length > 0 ? "global::" + node.Namespace + "." : "global::") + "Trigger." + entry!.Accessor)
            .ToList();
        var onTriggers = signals.Count == 0
            ? "global::System.Array.Empty<" + Flows + "Signal>()"
            : "new " + Flows + "Signal[] { " + string.Join(", ", signals) + " }";
        var every = s.Every > 0 ? "global::System.TimeSpan.FromSeconds(" + Literals.Double(s.Every) + ")" : "null";
        var runWhile = s.RunWhile is null ? "null" : "static agent => " + s.RunWhile;
        return "new(" + Literals.String(s.Name) + ", " + Route(s.Route) + ",\n    " + onTriggers + ", " + Actions(s.Actions) + ", " +
            Literals.Bool(s.Multi) + ", " + Literals.Bool(s.UseData) + ", " + every + ", " + runWhile + ",\n    " +
            ValueLambda(s.Call, "data", s.Name, node.ClassName) + ")";
    }

    private static string Hook(HookModel h, string className) =>
        "new(global::Synapse.HookDirection." + (h.Direction == 1 ? "Send" : "Receive") + ", " + Ints(h.Priority) + ",\n    " +
        ValueLambda(h.Call, "payload", h.Name, className) + ")";

    /// <summary>A lambda returning <c>ValueTask&lt;object?&gt;</c>.</summary>
    private static string ValueLambda(FlowCall call, string valueName, string method, string className) =>
        Lambda(call, valueName, "object?", method, className);

    private static string Lambda(FlowCall call, string valueName, string resultType, string method, string className)
    {
        var invocation = Invocation(call, valueName, method, className);
        var cast = resultType == "object?" ? "(object?)" : "";
        return call.Await == AwaitKind.None
            ? "static (agent, " + valueName + ", cancellationToken) => new " + ValueTask + "<" + resultType + ">(" + cast + invocation + ")"
            : "static async (agent, " + valueName + ", cancellationToken) => " + cast + "await " + invocation + ".ConfigureAwait(false)";
    }

    private static string DownloadLambda(FlowCall call)
    {
        var invocation = Invocation(call, "states", "", "");
        return call.Await == AwaitKind.None
            ? "static (agent, states, cancellationToken) => { " + invocation + "; return default; }"
            : "static async (agent, states, cancellationToken) => await " + invocation + ".ConfigureAwait(false)";
    }

    private static string Invocation(FlowCall call, string valueName, string method, string className)
    {
        var arguments = new List<string>();
        if (call.Value is { } value)
        {
            arguments.Add(value.IsObject || valueName == "states"
                ? valueName
                : "__SynapseFlowCast<" + value.TypeName + ">(" + valueName + ", " + Literals.String(className + "." + method) + ", " + Literals.Bool(value.AllowsNull) + ")");
        }

        if (call.TakesCancellationToken)
        {
            arguments.Add("cancellationToken");
        }

        return (call.IsStatic ? "" : "agent.") + call.MethodName + "(" + string.Join(", ", arguments) + ")";
    }

    private static void WriteCast(SourceWriter w)
    {
        w.WriteLine("/// <summary>Casts a payload or event data to a flow method's parameter type, naming the method when it does not fit.</summary>");
        w.OpenBlock("private static T __SynapseFlowCast<T>(object? value, string method, bool allowNull)");
        w.OpenBlock("if (value is T typed)");
        w.WriteLine("return typed;");
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock("if (value is null && allowNull)");
        w.WriteLine("return default!;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("throw new global::System.InvalidCastException(\"Flow method '\" + method + \"' takes \" + typeof(T).FullName + \", not \" + (value?.GetType().FullName ?? \"null\") + \".\");");
        w.CloseBlock();
    }

    private static string Route(ParsedRoute route) => route.IsArrow
        ? Flows + "FlowRoute.Arrow(" + Nodes(route.Sources) + ", " + Nodes(route.Labels) + ", " + Nodes(route.Targets) + ")"
        : Flows + "FlowRoute.Objects(" + Nodes(route.Sources) + ")";

    private static string Nodes(EquatableArray<RouteNode> nodes) => nodes.IsEmpty
        ? "global::System.Array.Empty<" + Flows + "StateNode>()"
        : "new " + Flows + "StateNode[] { " + string.Join(", ", nodes.Select(Node)) + " }";

    private static string Node(RouteNode node) => node.Kind switch
    {
        RouteNodeKind.Plain => Flows + "StateNode.State(" + Literals.String(node.Name) + ")",
        RouteNodeKind.All => Flows + "StateNode.All",
        RouteNodeKind.Not => Flows + "StateNode.Not(" + string.Join(", ", node.Names.Select(Literals.String)) + ")",
        _ => Flows + "StateNode.OneOf(" + string.Join(", ", node.Names.Select(Literals.String)) + ")",
    };

    private static string Ints(EquatableArray<int> values) => values.IsEmpty
        ? "global::System.Array.Empty<int>()"
        : "new int[] { " + string.Join(", ", values.Select(Literals.Invariant)) + " }";

    private static string Actions(int actions)
    {
        if (actions == 0)
        {
            return "global::Synapse.FlowActions.None";
        }

        if ((actions & ~7) != 0)
        {
            return "(global::Synapse.FlowActions)" + Literals.Invariant(actions);
        }

        var names = new[] { (1, "Move"), (2, "Stay"), (4, "Test") }.Where(x => (actions & x.Item1) != 0).Select(x => "global::Synapse.FlowActions." + x.Item2);
        return string.Join(" | ", names);
    }
}
