using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Synapse.Generators.Common;
using Synapse.Generators.Messages;

namespace Synapse.Generators.Nodes;

/// <summary>Emits a node's partial class: the IAgentNode implementation, the nested dispatcher and the typed client.</summary>
internal static class NodeEmitter
{
    private const string Invocation = "global::Synapse.Rpc.RpcInvocation";
    private const string ValueTask = "global::System.Threading.Tasks.ValueTask";
    private const string Binder = "global::Synapse.Rpc.RpcBinder";
    private const string SequenceEqual = "global::System.MemoryExtensions.SequenceEqual";
    private const string ArgumentFilter = "catch (global::System.Exception ex) when (ex is global::System.FormatException or global::System.OverflowException)";

    public static string Emit(NodeModel node)
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

        w.OpenBlock(node.Declaration + " : global::Synapse.Rpc.IAgentNode");
        w.WriteLine("/// <inheritdoc />");
        w.WriteLine(GeneratedCode.Attribute);
        w.WriteLine("global::Synapse.Rpc.AgentDispatcher global::Synapse.Rpc.IAgentNode.CreateDispatcher() => new __SynapseDispatcher(this);");
        w.WriteLine();
        WriteDispatcher(w, node);
        w.CloseBlock();

        for (var i = 0; i < node.ContainingTypeDeclarations.Count; i++)
        {
            w.CloseBlock();
        }

        if (node.SynapseClientType is not null)
        {
            w.WriteLine();
            WriteClient(w, node);
        }

        if (node.Namespace.Length > 0)
        {
            w.CloseBlock();
        }

        return w.ToSourceText();
    }

    private static IEnumerable<(EndpointModel Endpoint, int Target)> Targets(NodeModel node)
    {
        for (var i = 0; i < node.Endpoints.Count; i++)
        {
            yield return (node.Endpoints[i], i);
        }

        if (node.TaskHandler is not null)
        {
            yield return (node.TaskHandler, node.TaskHandlerTarget);
        }
    }

    private static void WriteDispatcher(SourceWriter w, NodeModel node)
    {
        w.WriteLine("/// <summary>The generated dispatch table of <see cref=\"" + Literals.Xml(node.ClassName) + "\"/>.</summary>");
        w.WriteLine(GeneratedCode.Attribute);
        w.OpenBlock("private sealed class __SynapseDispatcher : global::Synapse.Rpc.AgentDispatcher");
        w.WriteLine("private static readonly global::Synapse.Rpc.AgentDescriptor s_descriptor = CreateDescriptor();");
        foreach (var (endpoint, target) in Targets(node))
        {
            var wire = endpoint.Parameters.Where(p => p.Kind == ParameterKind.Wire).ToList();
            if (wire.Any(p => p.DefaultLiteral is null))
            {
                w.WriteLine("private static readonly string[] s_parameters" + Index(target) + " = { " + string.Join(", ", wire.Select(p => Literals.String(p.KeywordName))) + " };");
            }
        }

        w.WriteLine("private readonly " + node.TypeName + " _node;");
        w.WriteLine();
        w.WriteLine("public __SynapseDispatcher(" + node.TypeName + " node) => _node = node;");
        w.WriteLine();
        w.WriteLine("public override global::Synapse.Rpc.AgentDescriptor Descriptor => s_descriptor;");
        w.WriteLine();
        WriteFindEndpoint(w, node);
        w.WriteLine();
        WriteInvoke(w, node);
        if (node.BackgroundJobs.Count > 0)
        {
            w.WriteLine();
            WriteBackground(w, node);
        }

        foreach (var (endpoint, target) in Targets(node))
        {
            w.WriteLine();
            WriteStub(w, endpoint, target);
        }

        w.WriteLine();
        WriteDescriptor(w, node);
        w.CloseBlock();
    }

    private static void WriteDescriptor(SourceWriter w, NodeModel node)
    {
        w.OpenBlock("private static global::Synapse.Rpc.AgentDescriptor CreateDescriptor()");
        w.WriteLine("return new global::Synapse.Rpc.AgentDescriptor(");
        w.Indent++;
        w.WriteLine(Literals.String(node.AgentName) + ",");
        w.WriteLine(Literals.String(node.Role) + ",");
        w.WriteLine(Literals.String(node.Description) + ",");
        WriteArray(w, "global::Synapse.Rpc.EndpointDescriptor", node.Endpoints.Select(e =>
            "new global::Synapse.Rpc.EndpointDescriptor(" + Literals.String(e.WireName) + ", " + Literals.Bool(e.Publish) + ", " +
            Literals.String(e.Description) + ", " + Literals.String(e.InputSchema) + ", " + Literals.String(e.OutputSchema) +
            (e.ReturnKind == ReturnKind.Stream ? ", Streaming: true" : "") + ")"));
        WriteArray(w, "global::Synapse.Rpc.CapabilityDescriptor", node.Capabilities.Select(c =>
            "new global::Synapse.Rpc.CapabilityDescriptor(" + Literals.String(c.Name) + ", " + Literals.String(c.Description) + ", " +
            Literals.String(c.InputSchema) + ", " + Literals.String(c.OutputSchema) + ")"));
        WriteArray(w, "global::Synapse.Rpc.BackgroundJobDescriptor", node.BackgroundJobs.Select(j =>
            "new global::Synapse.Rpc.BackgroundJobDescriptor(" + Literals.String(j.Name) + ", " + Schedule(j.Schedule) + ")"));
        w.WriteLine(Literals.Invariant(node.TaskHandlerTarget) + ");");
        w.Indent--;
        w.CloseBlock();
    }

    private static string Schedule(ScheduleModel schedule) => schedule.Kind switch
    {
        ScheduleKind.Cron => "global::Synapse.Scheduling.Schedule.Cron(" + Literals.String(schedule.CronExpression!) + ", " +
            (schedule.TimeZone is null ? "null" : Literals.String(schedule.TimeZone)) + ", " + Literals.Bool(schedule.DayOr) + ")",
        ScheduleKind.Solar => "global::Synapse.Scheduling.Schedule.Solar(global::Synapse.SolarEvent." + schedule.SolarEvent + ", " +
            Literals.Double(schedule.Latitude) + ", " + Literals.Double(schedule.Longitude) + ")",
        _ => "global::Synapse.Scheduling.Schedule.Every(global::System.TimeSpan.FromTicks(" + Literals.Invariant(schedule.IntervalTicks) + "L))",
    };

    private static void WriteArray(SourceWriter w, string type, IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            w.WriteLine("global::System.Array.Empty<" + type + ">(),");
            return;
        }

        w.WriteLine("new " + type + "[]");
        w.WriteLine("{");
        w.Indent++;
        foreach (var item in list)
        {
            w.WriteLine(item + ",");
        }

        w.Indent--;
        w.WriteLine("},");
    }

    private static void WriteFindEndpoint(SourceWriter w, NodeModel node)
    {
        w.OpenBlock("public override int FindEndpoint(global::System.ReadOnlySpan<byte> utf8Name)");
        if (node.Endpoints.Count > 0)
        {
            w.OpenBlock("switch (utf8Name.Length)");
            var groups = node.Endpoints
                .Select((e, i) => (e.WireName, Index: i))
                .GroupBy(e => System.Text.Encoding.UTF8.GetByteCount(e.WireName))
                .OrderBy(g => g.Key);
            foreach (var group in groups)
            {
                w.WriteLine("case " + Literals.Invariant(group.Key) + ":");
                w.Indent++;
                foreach (var (name, index) in group)
                {
                    w.OpenBlock("if (" + SequenceEqual + "(utf8Name, " + Literals.Utf8(name) + "))");
                    w.WriteLine("return " + Literals.Invariant(index) + ";");
                    w.CloseBlock();
                    w.WriteLine();
                }

                w.WriteLine("break;");
                w.Indent--;
            }

            w.CloseBlock();
            w.WriteLine();
        }

        w.WriteLine("return -1;");
        w.CloseBlock();
    }

    private static void WriteInvoke(SourceWriter w, NodeModel node)
    {
        w.OpenBlock("public override " + ValueTask + " InvokeAsync(int target, " + Invocation + " call)");
        w.OpenBlock("switch (target)");
        foreach (var (endpoint, target) in Targets(node))
        {
            w.WriteLine("case " + Literals.Invariant(target) + ":");
            w.Indent++;
            w.WriteLine("return " + StubName(endpoint, target) + "(call);");
            w.Indent--;
        }

        w.WriteLine("default:");
        w.Indent++;
        w.WriteLine("throw new global::System.ArgumentOutOfRangeException(nameof(target), target, \"no such invocation target\");");
        w.Indent--;
        w.CloseBlock();
        w.CloseBlock();
    }

    private static void WriteBackground(SourceWriter w, NodeModel node)
    {
        w.OpenBlock("public override global::System.Threading.Tasks.Task RunBackgroundJobAsync(int index, global::System.Threading.CancellationToken cancellationToken)");
        w.OpenBlock("switch (index)");
        for (var i = 0; i < node.BackgroundJobs.Count; i++)
        {
            var job = node.BackgroundJobs[i];
            var call = "_node." + job.MethodName + "(" + (job.TakesCancellationToken ? "cancellationToken" : "") + ")";
            w.WriteLine("case " + Literals.Invariant(i) + ":");
            w.Indent++;
            switch (job.ReturnKind)
            {
                case ReturnKind.Task:
                    w.WriteLine("return " + call + ";");
                    break;
                case ReturnKind.ValueTask:
                    w.WriteLine("return " + call + ".AsTask();");
                    break;
                default:
                    w.WriteLine(call + ";");
                    w.WriteLine("return global::System.Threading.Tasks.Task.CompletedTask;");
                    break;
            }

            w.Indent--;
        }

        w.WriteLine("default:");
        w.Indent++;
        w.WriteLine("return base.RunBackgroundJobAsync(index, cancellationToken);");
        w.Indent--;
        w.CloseBlock();
        w.CloseBlock();
    }

    private static string Index(int target) => target.ToString(CultureInfo.InvariantCulture);

    private static string StubName(EndpointModel endpoint, int target) => "Invoke" + Index(target) + "_" + endpoint.MethodName.TrimStart('@');

    private static void WriteStub(SourceWriter w, EndpointModel endpoint, int target)
    {
        var wire = endpoint.Parameters.Where(p => p.Kind == ParameterKind.Wire).ToList();
        var errorName = endpoint.WireName.Length > 0 ? endpoint.WireName : endpoint.MethodName.TrimStart('@');
        var summary = endpoint.WireName.Length > 0 ? "Binds and invokes endpoint <c>" + Literals.Xml(endpoint.WireName) + "</c>." : "Binds and invokes the task handler.";
        w.WriteLine("/// <summary>" + summary + "</summary>");
        w.OpenBlock("private " + ValueTask + " " + StubName(endpoint, target) + "(" + Invocation + " call)");
        if (wire.Count > 0)
        {
            w.WriteLine("const string endpoint = " + Literals.String(errorName) + ";");
            for (var i = 0; i < wire.Count; i++)
            {
                var type = wire[i].Type!;
                w.WriteLine(type.TypeName + " p" + Index(i) + " = " + (wire[i].DefaultLiteral ?? WireCode.Placeholder(type)) + ";");
            }

            w.WriteLine("ulong bound = 0UL;");
            w.WriteLine("var args = new " + WireCode.Reader + "(call.Arguments, call.ReaderOptions);");
            w.WriteLine("var count = " + Binder + ".ReadPositionalCount(ref args, endpoint, " + Index(wire.Count) + ");");
            for (var i = 0; i < wire.Count; i++)
            {
                w.OpenBlock("if (count > " + Index(i) + ")");
                WriteBind(w, wire[i], i, "args");
                w.CloseBlock();
                w.WriteLine();
            }

            w.WriteLine("var kwargs = new " + WireCode.Reader + "(call.KeywordArguments, call.ReaderOptions);");
            w.WriteLine("var keywordCount = " + Binder + ".ReadKeywordCount(ref kwargs);");
            w.OpenBlock("for (var i = 0; i < keywordCount; i++)");
            WireCode.WriteReadKeyword(w, "kwargs", "keyword");
            for (var i = 0; i < wire.Count; i++)
            {
                var condition = SequenceEqual + "(keyword, " + Literals.Utf8(wire[i].KeywordName) + ")";
                if (wire[i].AliasName is { } alias)
                {
                    condition += " || " + SequenceEqual + "(keyword, " + Literals.Utf8(alias) + ")";
                }

                w.OpenBlock((i == 0 ? "if (" : "else if (") + condition + ")");
                w.OpenBlock("if ((bound & " + Literals.Mask(1UL << i) + ") != 0UL)");
                w.WriteLine("throw " + Binder + ".MultipleValues(endpoint, " + Literals.String(wire[i].KeywordName) + ");");
                w.CloseBlock();
                w.WriteLine();
                WriteBind(w, wire[i], i, "kwargs");
                w.CloseBlock();
            }

            w.OpenBlock("else");
            w.WriteLine("throw " + Binder + ".UnexpectedKeyword(endpoint, keyword);");
            w.CloseBlock();
            w.CloseBlock();
            w.WriteLine();

            ulong required = 0;
            for (var i = 0; i < wire.Count; i++)
            {
                if (wire[i].DefaultLiteral is null)
                {
                    required |= 1UL << i;
                }
            }

            if (required != 0)
            {
                var mask = Literals.Mask(required);
                w.OpenBlock("if ((bound & " + mask + ") != " + mask + ")");
                w.WriteLine("throw " + Binder + ".Missing(endpoint, s_parameters" + Index(target) + ", " + mask + ", bound);");
                w.CloseBlock();
                w.WriteLine();
            }
        }
        else
        {
            w.WriteLine("var args = new " + WireCode.Reader + "(call.Arguments, call.ReaderOptions);");
            w.WriteLine(Binder + ".ReadPositionalCount(ref args, " + Literals.String(errorName) + ", 0);");
            w.WriteLine("var kwargs = new " + WireCode.Reader + "(call.KeywordArguments, call.ReaderOptions);");
            w.OpenBlock("if (" + Binder + ".ReadKeywordCount(ref kwargs) > 0)");
            WireCode.WriteReadKeyword(w, "kwargs", "keyword");
            w.WriteLine("throw " + Binder + ".UnexpectedKeyword(" + Literals.String(errorName) + ", keyword);");
            w.CloseBlock();
            w.WriteLine();
        }

        var wireIndex = 0;
        var arguments = new List<string>();
        foreach (var parameter in endpoint.Parameters)
        {
            arguments.Add(parameter.Kind switch
            {
                ParameterKind.CancellationToken => "call.CancellationToken",
                ParameterKind.CallContext => "call.Context",
                ParameterKind.Broadcast => "global::Synapse.Swarm.SwarmBroadcast.Of(call.Context)",
                ParameterKind.RequiredBroadcast => "global::Synapse.Swarm.SwarmBroadcast.Required(call.Context)",
                ParameterKind.Progress => "call.Progress<" + parameter.Type!.TypeName + ">(static (ref " + WireCode.Writer + " writer, " + parameter.Type.TypeName + " value) => " + WireCode.Write(parameter.Type, "writer", "value").TrimEnd(';') + ")",
                _ => "p" + Index(wireIndex++),
            });
        }

        var invoke = "_node." + endpoint.MethodName + "(" + string.Join(", ", arguments) + ")";
        var stub = Index(target);
        switch (endpoint.ReturnKind)
        {
            case ReturnKind.Void:
                w.WriteLine(invoke + ";");
                w.WriteLine("call.CompleteWithNil();");
                w.WriteLine("return default;");
                break;
            case ReturnKind.Value:
                w.WriteLine("WriteResult" + stub + "(call, " + invoke + ");");
                w.WriteLine("return default;");
                break;
            case ReturnKind.Stream:
                w.WriteLine("return call.StreamAsync(" + invoke + ", static (ref " + WireCode.Writer + " writer, " + endpoint.Result!.TypeName + " value) =>");
                w.WriteLine("{");
                w.Indent++;
                w.WriteLine(WireCode.Write(endpoint.Result, "writer", "value"));
                w.Indent--;
                w.WriteLine("});");
                break;
            case ReturnKind.Task:
            case ReturnKind.ValueTask:
                w.WriteLine("var task = " + invoke + ";");
                w.OpenBlock("if (task.IsCompletedSuccessfully)");
                if (endpoint.ReturnKind == ReturnKind.ValueTask)
                {
                    w.WriteLine("task.GetAwaiter().GetResult();");
                }

                w.WriteLine("call.CompleteWithNil();");
                w.WriteLine("return default;");
                w.CloseBlock();
                w.WriteLine();
                w.WriteLine("return Await" + stub + "(task, call);");
                break;
            default:
                w.WriteLine("var task = " + invoke + ";");
                w.OpenBlock("if (task.IsCompletedSuccessfully)");
                w.WriteLine("WriteResult" + stub + "(call, task.Result);");
                w.WriteLine("return default;");
                w.CloseBlock();
                w.WriteLine();
                w.WriteLine("return Await" + stub + "(task, call);");
                break;
        }

        w.CloseBlock();

        var taskType = endpoint.ReturnKind switch
        {
            ReturnKind.Task => "global::System.Threading.Tasks.Task",
            ReturnKind.ValueTask => "global::System.Threading.Tasks.ValueTask",
            ReturnKind.TaskOfT => "global::System.Threading.Tasks.Task<" + endpoint.Result!.TypeName + ">",
            ReturnKind.ValueTaskOfT => "global::System.Threading.Tasks.ValueTask<" + endpoint.Result!.TypeName + ">",
            _ => null,
        };
        if (taskType is not null)
        {
            w.WriteLine();
            w.OpenBlock("private static async " + ValueTask + " Await" + stub + "(" + taskType + " task, " + Invocation + " call)");
            if (endpoint.Result is null)
            {
                w.WriteLine("await task.ConfigureAwait(false);");
                w.WriteLine("call.CompleteWithNil();");
            }
            else
            {
                w.WriteLine("WriteResult" + stub + "(call, await task.ConfigureAwait(false));");
            }

            w.CloseBlock();
        }

        if (endpoint.Result is not null && endpoint.ReturnKind != ReturnKind.Stream)
        {
            w.WriteLine();
            w.OpenBlock("private static void WriteResult" + stub + "(" + Invocation + " call, " + endpoint.Result.TypeName + " value)");
            w.WriteLine("var writer = call.BeginResult();");
            w.WriteLine(WireCode.Write(endpoint.Result, "writer", "value"));
            w.WriteLine("call.EndResult(ref writer);");
            w.CloseBlock();
        }
    }

    /// <summary>Reads a map key as UTF-8 without allocating unless the string spans buffer segments.</summary>
    private static void WriteBind(SourceWriter w, ParameterModel parameter, int index, string reader)
    {
        w.OpenBlock("try");
        w.WriteLine("p" + Index(index) + " = " + WireCode.Read(parameter.Type!, reader) + ";");
        w.CloseBlock();
        w.OpenBlock(ArgumentFilter);
        w.WriteLine("throw " + Binder + ".InvalidArgument(endpoint, " + Literals.String(parameter.KeywordName) + ", ex);");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("bound |= " + Literals.Mask(1UL << index) + ";");
    }

    private static void WriteClient(SourceWriter w, NodeModel node)
    {
        // The interface first, so application code can take it and tests can hand it a fake.
        w.WriteLine("/// <summary>The endpoints of <c>" + Literals.Xml(node.AgentName) + "</c> as a client calls them (implemented by <see cref=\"" + node.ClientName + "\"/>).</summary>");
        w.WriteLine(GeneratedCode.Attribute);
        w.OpenBlock(node.ClientAccessibility + " interface I" + node.ClientName);
        var first = true;
        foreach (var endpoint in node.Endpoints)
        {
            if (!first)
            {
                w.WriteLine();
            }

            first = false;
            var signature = ClientSignature.Of(endpoint);
            w.WriteLine("/// <summary>Calls <c>" + Literals.Xml(endpoint.WireName) + "</c>." + signature.Description + "</summary>");
            w.WriteLine(signature.ReturnType + " " + endpoint.ClientMethodName + "(" + string.Join(", ", signature.Declarations) + ");");
        }

        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <summary>A typed client for the endpoints of <c>" + Literals.Xml(node.AgentName) + "</c> (generated from <c>" + Literals.Xml(node.ClassName) + "</c>).</summary>");
        w.WriteLine(GeneratedCode.Attribute);
        w.OpenBlock(node.ClientAccessibility + " sealed class " + node.ClientName + " : I" + node.ClientName);
        w.WriteLine("/// <summary>Creates a client that calls through <paramref name=\"client\"/>.</summary>");
        w.WriteLine("/// <param name=\"client\">A connected Synapse client.</param>");
        w.OpenBlock("public " + node.ClientName + "(" + node.SynapseClientType + " client)");
        w.WriteLine("Client = client ?? throw new global::System.ArgumentNullException(nameof(client));");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <summary>The underlying connection.</summary>");
        w.WriteLine("public " + node.SynapseClientType + " Client { get; }");
        foreach (var endpoint in node.Endpoints)
        {
            w.WriteLine();
            WriteClientMethod(w, endpoint);
        }

        w.CloseBlock();
    }

    /// <summary>A client method's signature, shared by the client interface and the client class.</summary>
    private sealed class ClientSignature
    {
        private ClientSignature(List<ParameterModel> wire, string token, List<string> declarations, string returnType, string description)
        {
            Wire = wire;
            Token = token;
            Declarations = declarations;
            ReturnType = returnType;
            Description = description;
        }

        public List<ParameterModel> Wire { get; }

        public string Token { get; }

        public List<string> Declarations { get; }

        public string ReturnType { get; }

        public string Description { get; }

        public static ClientSignature Of(EndpointModel endpoint)
        {
            var wire = endpoint.Parameters.Where(p => p.Kind == ParameterKind.Wire).ToList();
            var token = wire.Any(p => p.Name == "cancellationToken") ? "cancellationToken_" : "cancellationToken";
            var declarations = wire.Select(p =>
            {
                var type = p.Type!.TypeName;
                var defaultValue = p.DefaultLiteral;
                if (defaultValue == "null!")
                {
                    type += "?";
                    defaultValue = "null";
                }

                return type + " " + p.Name + (defaultValue is null ? "" : " = " + defaultValue);
            }).ToList();
            var progress = endpoint.Parameters.FirstOrDefault(p => p.Kind == ParameterKind.Progress);
            if (progress is not null)
            {
                declarations.Add("global::System.IProgress<" + progress.Type!.TypeName + ">? " + progress.Name + " = null");
            }

            declarations.Add("global::System.Threading.CancellationToken " + token + " = default");
            var returnType = endpoint.Result is null ? "global::System.Threading.Tasks.Task"
                : endpoint.ReturnKind == ReturnKind.Stream ? "global::System.Collections.Generic.IAsyncEnumerable<" + endpoint.Result.TypeName + ">"
                : "global::System.Threading.Tasks.Task<" + endpoint.Result.TypeName + ">";
            var description = endpoint.Description.Length > 0 ? " " + Literals.Xml(endpoint.Description) : "";
            return new ClientSignature(wire, token, declarations, returnType, description);
        }
    }

    private static void WriteClientMethod(SourceWriter w, EndpointModel endpoint)
    {
        var signature = ClientSignature.Of(endpoint);
        var wire = signature.Wire;
        var token = signature.Token;
        var declarations = signature.Declarations;

        string argsType;
        string argsValue;
        var writes = new List<string>();
        switch (wire.Count)
        {
            case 0:
                argsType = "global::System.ValueTuple";
                argsValue = "default(global::System.ValueTuple)";
                break;
            case 1:
                argsType = WireTypeForArgument(wire[0]);
                argsValue = wire[0].Name;
                writes.Add(WireCode.Write(wire[0].Type!, "writer", "arguments"));
                break;
            default:
                argsType = "(" + string.Join(", ", wire.Select(WireTypeForArgument)) + ")";
                argsValue = "(" + string.Join(", ", wire.Select(p => p.Name)) + ")";
                for (var i = 0; i < wire.Count; i++)
                {
                    writes.Add(WireCode.Write(wire[i].Type!, "writer", "arguments.Item" + Index(i + 1)));
                }

                break;
        }

        w.WriteLine("/// <inheritdoc />");
        var returnType = signature.ReturnType;
        w.OpenBlock("public " + returnType + " " + endpoint.ClientMethodName + "(" + string.Join(", ", declarations) + ")");
        var streams = endpoint.ReturnKind == ReturnKind.Stream;
        var progress = endpoint.Parameters.FirstOrDefault(p => p.Kind == ParameterKind.Progress);
        var typeArguments = progress is not null ? argsType + ", " + (endpoint.Result?.TypeName ?? "object?") + ", " + progress.Type!.TypeName
            : endpoint.Result is null ? argsType
            : argsType + ", " + endpoint.Result.TypeName;
        var method = streams ? "StreamAsync" : progress is not null ? "CallWithProgressAsync" : "CallAsync";
        w.WriteLine("return Client." + method + "<" + typeArguments + ">(");
        w.Indent++;
        w.WriteLine(Literals.String(endpoint.WireName) + ",");
        w.WriteLine(argsValue + ",");
        w.WriteLine("static (ref " + WireCode.Writer + " writer, in " + argsType + " arguments) =>");
        w.WriteLine("{");
        w.Indent++;
        w.WriteLine("writer.WriteArrayHeader(" + Index(wire.Count) + ");");
        foreach (var write in writes)
        {
            w.WriteLine(write);
        }

        w.Indent--;
        w.WriteLine("},");
        if (endpoint.Result is not null)
        {
            w.WriteLine("static (ref " + WireCode.Reader + " reader) => " + WireCode.Read(endpoint.Result, "reader") + ",");
        }
        else if (progress is not null)
        {
            w.WriteLine("null,");
        }

        if (progress is not null)
        {
            w.WriteLine(progress.Name + ",");
            w.WriteLine("static (ref " + WireCode.Reader + " reader) => " + WireCode.Read(progress.Type!, "reader") + ",");
        }

        if (!streams)
        {
            w.WriteLine("timeout: null,");
        }

        w.WriteLine("cancellationToken: " + token + ");");
        w.Indent--;
        w.CloseBlock();
    }

    private static string WireTypeForArgument(ParameterModel parameter) =>
        parameter.DefaultLiteral == "null!" ? parameter.Type!.TypeName + "?" : parameter.Type!.TypeName;
}
