using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;
using Synapse.Generators.Messages;

namespace Synapse.Generators.Nodes;

/// <summary>
/// The shared analysis of one [AgentNode] class: validates it (every rule that concerns the node) and, when asked,
/// builds the <see cref="NodeModel"/> and the formatters it needs. Both the generator and <see cref="SynapseAnalyzer"/>
/// run it, so they always agree on what is valid and therefore generated.
/// </summary>
internal sealed partial class NodeAnalysis
{
    public const int MaxWireParameters = 64;
    private static readonly string[] ReservedPrefixes = { "_synapse.", "_agent.", "_node." };

    private readonly INamedTypeSymbol _type;
    private readonly KnownSymbols _known;
    private readonly TypeResolver _resolver;
    private readonly CancellationToken _cancellationToken;

    private NodeAnalysis(INamedTypeSymbol type, KnownSymbols known, CancellationToken cancellationToken)
    {
        _type = type;
        _known = known;
        _cancellationToken = cancellationToken;
        _resolver = new TypeResolver(known, cancellationToken);
    }

    public List<Finding> Findings { get; } = new();

    public NodeModel? Model { get; private set; }

    public FormatterSet Formatters { get; private set; } = FormatterSet.Empty;

    public static NodeAnalysis Analyze(INamedTypeSymbol type, KnownSymbols known, bool buildModel, CancellationToken cancellationToken)
    {
        var analysis = new NodeAnalysis(type, known, cancellationToken);
        analysis.Run(buildModel);
        return analysis;
    }

    /// <summary>Whether <paramref name="name"/> is a syntactically valid endpoint name.</summary>
    public static bool IsValidEndpointName(string name)
    {
        if (name.Length == 0 || !(IsAsciiLetter(name[0]) || name[0] == '_') || name[name.Length - 1] == '.' || name.Contains(".."))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    public static string? ReservedPrefix(string name) =>
        ReservedPrefixes.FirstOrDefault(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private void Run(bool buildModel)
    {
        var nodeAttribute = _known.Find(_type, _known.AgentNodeAttribute);
        if (nodeAttribute is null)
        {
            return;
        }

        var canGenerate = true;
        if (_type.IsStatic || !IsPartialChain(_type))
        {
            Findings.Add(new Finding(DiagnosticDescriptors.NodeNotPartial, DeclarationLocation(nodeAttribute), _type.Name));
            canGenerate = false;
        }

        var candidates = new List<EndpointCandidate>();
        var taskHandlers = new List<(IMethodSymbol Method, AttributeData Attribute, Signature? Signature)>();
        var jobs = new List<BackgroundJobModel>();
        foreach (var member in SymbolOrdering.Members(_type))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } method)
            {
                continue;
            }

            var endpoint = _known.Find(method, _known.EndpointAttribute);
            var taskHandler = _known.Find(method, _known.TaskHandlerAttribute);
            var schedules = ScheduleAttributes(method);
            Signature? signature = null;
            if (endpoint is not null || taskHandler is not null)
            {
                signature = AnalyzeSignature(method);
            }

            if (endpoint is not null)
            {
                candidates.Add(AnalyzeEndpointName(method, endpoint, signature));
            }

            if (taskHandler is not null && signature is { ReturnKind: ReturnKind.Stream })
            {
                // _agent.ask wants one answer, and synapse-p2p peers ask over connections that carry one call.
                Findings.Add(new Finding(DiagnosticDescriptors.InvalidEndpointSignature, method.Locations.FirstOrDefault() ?? Location.None, method.Name,
                    "it is a [TaskHandler], which _agent.ask calls for one answer, and it streams its results", "it return one result (stream from an [Endpoint] of its own)"));
                signature = null;
            }

            if (taskHandler is not null)
            {
                taskHandlers.Add((method, taskHandler, signature));
            }

            if (schedules.Count > 0 && AnalyzeBackground(method, schedules) is { } job)
            {
                jobs.Add(job);
            }
        }

        var valid = new List<EndpointCandidate>();
        var byName = new Dictionary<string, EndpointCandidate>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            if (!candidate.NameIsValid)
            {
                continue;
            }

            if (byName.TryGetValue(candidate.Name, out var first))
            {
                Findings.Add(new Finding(DiagnosticDescriptors.DuplicateEndpointName, candidate.NameLocation, candidate.Name, first.Method.Name));
                continue;
            }

            byName.Add(candidate.Name, candidate);
            if (candidate.Signature is not null)
            {
                valid.Add(candidate);
            }
        }

        for (var i = 1; i < taskHandlers.Count; i++)
        {
            Findings.Add(new Finding(
                DiagnosticDescriptors.MultipleTaskHandlers,
                AttributeLocation(taskHandlers[i].Attribute) ?? taskHandlers[i].Method.Locations.FirstOrDefault(),
                _type.Name,
                taskHandlers[0].Method.Name,
                taskHandlers[i].Method.Name));
        }

        if (!buildModel || !canGenerate)
        {
            return;
        }

        BuildModel(nodeAttribute, valid, taskHandlers.Count > 0 ? taskHandlers[0] : default, jobs);
    }

    private void BuildModel(
        AttributeData nodeAttribute,
        List<EndpointCandidate> endpoints,
        (IMethodSymbol Method, AttributeData Attribute, Signature? Signature) taskHandler,
        List<BackgroundJobModel> jobs)
    {
        var helpers = new Dictionary<string, TypeModel>(StringComparer.Ordinal);
        var messages = new Dictionary<string, MessageModel>(StringComparer.Ordinal);
        var clientNames = new HashSet<string>(StringComparer.Ordinal);
        var clientIsPublic = TypeResolver.IsEffectivelyPublic(_type);
        var endpointModels = new List<EndpointModel>();
        var taskTarget = -1;
        EndpointModel? pureTaskHandler = null;
        foreach (var candidate in endpoints)
        {
            var isTaskHandler = taskHandler.Signature is not null && SymbolEqualityComparer.Default.Equals(taskHandler.Method, candidate.Method);
            if (isTaskHandler)
            {
                taskTarget = endpointModels.Count;
            }

            var publish = AttributeArguments.Named(candidate.Attribute, "Publish") is bool b ? b : true;
            var description = AttributeArguments.Named(candidate.Attribute, "Description") as string;
            var model = BuildEndpoint(candidate.Method, candidate.Signature!, candidate.Name, publish, description, isTaskHandler ? TaskKeywords.Alias : TaskKeywords.None, clientNames);
            endpointModels.Add(model);
            clientIsPublic &= candidate.Signature!.IsPublic;
            Collect(candidate.Signature!, helpers, messages);
        }

        if (taskHandler.Signature is not null && taskTarget < 0)
        {
            taskTarget = endpointModels.Count;
            pureTaskHandler = BuildEndpoint(taskHandler.Method, taskHandler.Signature, "", publish: false, null, TaskKeywords.Primary, clientNames: null);
            Collect(taskHandler.Signature, helpers, messages);
        }

        var docs = DocComments.Read(_type, _cancellationToken);
        var ns = _type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        var containing = new List<string>();
        for (var t = _type.ContainingType; t is not null; t = t.ContainingType)
        {
            containing.Insert(0, Declaration(t));
        }

        var hint = new List<string>();
        for (var t = _type; t is not null; t = t.ContainingType)
        {
            hint.Insert(0, t.Arity > 0 ? t.Name + "_" + t.Arity.ToString(CultureInfo.InvariantCulture) : t.Name);
        }

        if (ns.Length > 0)
        {
            hint.Insert(0, ns);
        }

        Model = new NodeModel(
            ns,
            _type.Name,
            _type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            string.Join(".", hint) + ".AgentNode.g.cs",
            containing.ToEquatableArray(),
            Declaration(_type),
            NonEmpty(AttributeArguments.Named(nodeAttribute, "Name") as string) ?? _type.Name,
            AttributeArguments.Named(nodeAttribute, "Role") as string ?? "",
            NonEmpty(AttributeArguments.Named(nodeAttribute, "Description") as string) ?? docs.Summary,
            endpointModels.ToEquatableArray(),
            Capabilities(nodeAttribute).ToEquatableArray(),
            jobs.ToEquatableArray(),
            pureTaskHandler,
            taskTarget,
            _known.SynapseClient?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            clientIsPublic ? "public" : "internal",
            _type.Name + "Client");
        Formatters = new FormatterSet(
            helpers.Values.OrderBy(h => h.Mangled, StringComparer.Ordinal).ToEquatableArray(),
            messages.Values.OrderBy(m => m.Mangled, StringComparer.Ordinal).ToEquatableArray());
    }

    private void Collect(Signature signature, Dictionary<string, TypeModel> helpers, Dictionary<string, MessageModel> messages)
    {
        foreach (var parameter in signature.Parameters)
        {
            if (parameter.Type is not null)
            {
                _resolver.CollectFormatters(parameter.Type, helpers, messages);
            }
        }

        if (signature.Result is not null)
        {
            _resolver.CollectFormatters(signature.Result, helpers, messages);
        }
    }

    private EndpointModel BuildEndpoint(
        IMethodSymbol method,
        Signature signature,
        string wireName,
        bool publish,
        string? description,
        TaskKeywords taskKeywords,
        HashSet<string>? clientNames)
    {
        var docs = DocComments.Read(method, _cancellationToken);
        var parameters = new List<ParameterModel>();
        var schema = new List<SchemaProperty>();
        var wireIndex = 0;
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var symbol = method.Parameters[i];
            var info = signature.Parameters[i];
            if (info.Kind != ParameterKind.Wire)
            {
                parameters.Add(new ParameterModel(Literals.Identifier(symbol.Name), info.Kind, info.Type, symbol.Name, null, null));
                continue;
            }

            var taskName = wireIndex switch
            {
                0 => "task",
                1 => "context",
                _ => null,
            };
            wireIndex++;
            var keyword = taskKeywords == TaskKeywords.Primary && taskName is not null ? taskName : symbol.Name;
            var alias = taskKeywords == TaskKeywords.Alias && taskName is not null && taskName != symbol.Name ? taskName : null;
            if (taskKeywords == TaskKeywords.Primary && taskName is not null && taskName != symbol.Name)
            {
                alias = symbol.Name;
            }

            // _agent.ask(task, context=None): a nullable context of a task handler is optional even without a C# default.
            var implicitNull = taskKeywords != TaskKeywords.None && taskName == "context" && !symbol.HasExplicitDefaultValue && info.Type!.IsNullable;
            var hasDefault = symbol.HasExplicitDefaultValue || implicitNull;
            var defaultLiteral = symbol.HasExplicitDefaultValue ? DefaultValues.Literal(symbol.ExplicitDefaultValue, symbol.Type, info.Type!) : implicitNull ? "null" : null;
            parameters.Add(new ParameterModel(Literals.Identifier(symbol.Name), ParameterKind.Wire, info.Type, keyword, alias, defaultLiteral));
            docs.Parameters.TryGetValue(symbol.Name, out var parameterDoc);
            schema.Add(new SchemaProperty(
                keyword,
                info.Type!,
                !hasDefault,
                symbol.HasExplicitDefaultValue ? DefaultValues.Json(symbol.ExplicitDefaultValue, info.Type!) : implicitNull ? "null" : null,
                parameterDoc));
        }

        var clientName = "";
        if (clientNames is not null)
        {
            var baseName = method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name : method.Name + "Async";
            var signatureKey = "(" + string.Join(",", parameters.Where(p => p.Kind == ParameterKind.Wire).Select(p => p.Type!.Mangled)) + ")";
            clientName = baseName;
            for (var suffix = 2; !clientNames.Add(clientName + signatureKey); suffix++)
            {
                clientName = baseName + suffix.ToString(CultureInfo.InvariantCulture);
            }
        }

        return new EndpointModel(
            wireName,
            Literals.Identifier(method.Name),
            publish,
            NonEmpty(description) ?? docs.Summary,
            SchemaBuilder.Input(schema, _resolver),
            SchemaBuilder.Output(signature.Result, _resolver),
            parameters.ToEquatableArray(),
            signature.ReturnKind,
            signature.Result,
            clientName);
    }

    private Signature? AnalyzeSignature(IMethodSymbol method)
    {
        var ok = true;
        var methodLocation = method.Locations.FirstOrDefault();
        if (method.IsGenericMethod)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidEndpointSignature, methodLocation, method.Name, "it is generic", "it non-generic (remove its type parameters)"));
            ok = false;
        }

        if (method.IsStatic)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidEndpointSignature, methodLocation, method.Name, "it is static", "it an instance method (remove 'static')"));
            ok = false;
        }

        if (method.MethodKind == MethodKind.ExplicitInterfaceImplementation)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidEndpointSignature, methodLocation, method.Name, "it is an explicit interface implementation", "it an ordinary method of the class (implement the interface member implicitly)"));
            ok = false;
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidEndpointSignature, methodLocation, method.Name, "it returns by reference", "it return by value (remove 'ref')"));
            ok = false;
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.AsyncVoid, methodLocation, method.Name));
            ok = false;
        }

        var returnKind = ReturnKind.Void;
        ITypeSymbol? resultSymbol = null;
        var returnType = method.ReturnType;
        if (method.ReturnsVoid)
        {
            returnKind = ReturnKind.Void;
        }
        else if (KnownSymbols.Is(returnType, _known.Task) && returnType is INamedTypeSymbol { Arity: 0 })
        {
            returnKind = ReturnKind.Task;
        }
        else if (KnownSymbols.Is(returnType, _known.ValueTask) && returnType is INamedTypeSymbol { Arity: 0 })
        {
            returnKind = ReturnKind.ValueTask;
        }
        else if (KnownSymbols.Is(returnType, _known.TaskOfT))
        {
            returnKind = ReturnKind.TaskOfT;
            resultSymbol = ((INamedTypeSymbol)returnType).TypeArguments[0];
        }
        else if (KnownSymbols.Is(returnType, _known.ValueTaskOfT))
        {
            returnKind = ReturnKind.ValueTaskOfT;
            resultSymbol = ((INamedTypeSymbol)returnType).TypeArguments[0];
        }
        else if (KnownSymbols.Is(returnType, _known.AsyncEnumerableOfT))
        {
            returnKind = ReturnKind.Stream;
            resultSymbol = ((INamedTypeSymbol)returnType).TypeArguments[0];
        }
        else
        {
            returnKind = ReturnKind.Value;
            resultSymbol = returnType;
        }

        TypeModel? result = null;
        var isPublic = true;
        if (resultSymbol is not null)
        {
            var resolution = _resolver.Resolve(resultSymbol);
            var reason = resolution.Error ?? InvalidMessageReason(resolution.Model!, out _);
            if (reason is not null)
            {
                if ((resolution.Model is null || !IsSourceMessageProblem(resolution.Model)) && !UsesMethodTypeParameter(resultSymbol, method))
                {
                    Findings.Add(new Finding(DiagnosticDescriptors.UnsupportedReturnType, ReturnTypeLocation(method), method.Name, resultSymbol.ToDisplayString(), reason));
                }

                ok = false;
            }
            else
            {
                result = resolution.Model;
                isPublic &= TypeResolver.IsEffectivelyPublic(resultSymbol);
            }
        }

        var parameters = new List<SignatureParameter>();
        var cancellationTokens = 0;
        var progressParameters = 0;
        var wire = 0;
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                Findings.Add(new Finding(
                    DiagnosticDescriptors.InvalidEndpointSignature,
                    parameter.Locations.FirstOrDefault() ?? methodLocation,
                    method.Name,
                    $"parameter '{parameter.Name}' is passed by reference ({parameter.RefKind.ToString().ToLowerInvariant()})",
                    $"'{parameter.Name}' a by-value parameter (remove '{parameter.RefKind.ToString().ToLowerInvariant()}'{(parameter.RefKind is RefKind.Out or RefKind.Ref ? " and return the value instead" : "")})"));
                ok = false;
                parameters.Add(default);
                continue;
            }

            if (KnownSymbols.Is(parameter.Type, _known.CancellationToken))
            {
                cancellationTokens++;
                if (cancellationTokens > 1)
                {
                    Findings.Add(new Finding(DiagnosticDescriptors.MultipleCancellationTokens, parameter.Locations.FirstOrDefault() ?? methodLocation, method.Name, parameter.Name));
                    ok = false;
                }

                parameters.Add(new SignatureParameter(ParameterKind.CancellationToken, null));
                continue;
            }

            if (KnownSymbols.Is(parameter.Type, _known.CallContext))
            {
                parameters.Add(new SignatureParameter(ParameterKind.CallContext, null));
                continue;
            }

            if (KnownSymbols.Is(parameter.Type, _known.SwarmBroadcast))
            {
                parameters.Add(new SignatureParameter(parameter.NullableAnnotation == NullableAnnotation.Annotated ? ParameterKind.Broadcast : ParameterKind.RequiredBroadcast, null));
                continue;
            }

            if (KnownSymbols.Is(parameter.Type, _known.ProgressOfT))
            {
                var reported = ((INamedTypeSymbol)parameter.Type).TypeArguments[0];
                var progressType = _resolver.Resolve(reported);
                var problem = progressType.Error ?? InvalidMessageReason(progressType.Model!, out _);
                if (problem is not null || ++progressParameters > 1)
                {
                    if (problem is null)
                    {
                        Findings.Add(new Finding(DiagnosticDescriptors.InvalidEndpointSignature, parameter.Locations.FirstOrDefault() ?? methodLocation, method.Name,
                            $"it takes more than one IProgress<T> ('{parameter.Name}')", "it take one IProgress<T> at most"));
                    }
                    else if ((progressType.Model is null || !IsSourceMessageProblem(progressType.Model)) && !UsesMethodTypeParameter(reported, method))
                    {
                        Findings.Add(new Finding(DiagnosticDescriptors.UnsupportedParameterType, ParameterTypeLocation(parameter), parameter.Name, method.Name, parameter.Type.ToDisplayString(), problem));
                    }

                    ok = false;
                    parameters.Add(default);
                    continue;
                }

                isPublic &= TypeResolver.IsEffectivelyPublic(reported);
                parameters.Add(new SignatureParameter(ParameterKind.Progress, progressType.Model));
                continue;
            }

            wire++;
            var resolution = _resolver.Resolve(parameter.Type);
            var reason = resolution.Error ?? InvalidMessageReason(resolution.Model!, out _);
            if (reason is not null)
            {
                if ((resolution.Model is null || !IsSourceMessageProblem(resolution.Model)) && !UsesMethodTypeParameter(parameter.Type, method))
                {
                    Findings.Add(new Finding(
                        DiagnosticDescriptors.UnsupportedParameterType,
                        ParameterTypeLocation(parameter),
                        parameter.Name,
                        method.Name,
                        parameter.Type.ToDisplayString(),
                        reason));
                }

                ok = false;
                parameters.Add(default);
                continue;
            }

            isPublic &= TypeResolver.IsEffectivelyPublic(parameter.Type);
            parameters.Add(new SignatureParameter(ParameterKind.Wire, resolution.Model));
        }

        if (returnKind == ReturnKind.Stream && progressParameters > 0)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidEndpointSignature, methodLocation, method.Name,
                "it streams its results and takes an IProgress<T>", "it report progress through the items it streams (remove the IProgress<T> parameter)"));
            ok = false;
        }

        if (wire > MaxWireParameters)
        {
            Findings.Add(new Finding(
                DiagnosticDescriptors.InvalidEndpointSignature,
                methodLocation,
                method.Name,
                $"it has {wire.ToString(CultureInfo.InvariantCulture)} wire parameters but at most {MaxWireParameters.ToString(CultureInfo.InvariantCulture)} are supported",
                $"it take at most {MaxWireParameters.ToString(CultureInfo.InvariantCulture)} (group the values in a [SynapseMessage] type)"));
            ok = false;
        }

        return ok ? new Signature(parameters, returnKind, result, isPublic) : null;
    }

    /// <summary>Whether <paramref name="type"/> mentions a type parameter of the (generic, already diagnosed) method.</summary>
    private static bool UsesMethodTypeParameter(ITypeSymbol type, IMethodSymbol method) => type switch
    {
        ITypeParameterSymbol parameter => SymbolEqualityComparer.Default.Equals(parameter.DeclaringMethod, method),
        IArrayTypeSymbol array => UsesMethodTypeParameter(array.ElementType, method),
        INamedTypeSymbol named => named.TypeArguments.Any(t => UsesMethodTypeParameter(t, method)),
        _ => false,
    };

    /// <summary>Why a resolved type cannot be generated because of a message type it reaches, or null.</summary>
    private string? InvalidMessageReason(TypeModel model, out MessageInfo? invalid)
    {
        invalid = _resolver.FindInvalidMessage(model, metadataOnly: false);
        return invalid is null ? null : $"'{invalid.Symbol.ToDisplayString()}' cannot be serialized: {invalid.Errors.FirstOrDefault().Reason}";
    }

    /// <summary>True when the only problem is a message type declared in source, which reports SYN012 itself.</summary>
    private bool IsSourceMessageProblem(TypeModel model) =>
        _resolver.FindInvalidMessage(model, metadataOnly: true) is null;

    private EndpointCandidate AnalyzeEndpointName(IMethodSymbol method, AttributeData attribute, Signature? signature)
    {
        var explicitName = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
        var name = explicitName ?? method.Name;
        var location = (explicitName is not null ? AttributeArgumentLocation(attribute, 0) : null) ?? method.Locations.FirstOrDefault();
        var nameIsValid = true;
        if (!IsValidEndpointName(name))
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidEndpointName, location, name));
            nameIsValid = false;
        }
        else if (ReservedPrefix(name) is { } prefix)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.ReservedEndpointPrefix, location, name, prefix));
            nameIsValid = false;
        }

        return new EndpointCandidate(method, attribute, name, location, nameIsValid, signature);
    }

    private BackgroundJobModel? AnalyzeBackground(IMethodSymbol method, List<(AttributeData Attribute, string Name)> schedules)
    {
        var ok = true;
        var (attribute, attributeName) = schedules[0];
        var methodLocation = method.Locations.FirstOrDefault();
        void Problem(Location? location, string reason, string fix)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.InvalidBackgroundJob, location ?? methodLocation, attributeName, method.Name, reason, fix));
            ok = false;
        }

        if (schedules.Count > 1)
        {
            Problem(AttributeLocation(schedules[1].Attribute), $"it has more than one schedule ([{attributeName}] and [{schedules[1].Name}])", "it keep one of them (a method is one background job; add another method for another schedule)");
        }

        var (bound, schedule) = AnalyzeSchedule(method, attribute, attributeName);
        if (!bound)
        {
            return null; // the attribute does not bind; the compiler reports it
        }

        ok &= schedule is not null;

        if (method.IsStatic)
        {
            Problem(methodLocation, "it is static", "it an instance method (remove 'static')");
        }

        if (method.IsGenericMethod)
        {
            Problem(methodLocation, "it is generic", "it non-generic (remove its type parameters)");
        }

        if (method.MethodKind == MethodKind.ExplicitInterfaceImplementation)
        {
            Problem(methodLocation, "it is an explicit interface implementation", "it an ordinary method of the class");
        }

        ReturnKind returnKind;
        if (method.ReturnsVoid)
        {
            returnKind = ReturnKind.Void;
            if (method.IsAsync)
            {
                Findings.Add(new Finding(DiagnosticDescriptors.AsyncVoid, methodLocation, method.Name));
                ok = false;
            }
        }
        else if (KnownSymbols.Is(method.ReturnType, _known.Task) && method.ReturnType is INamedTypeSymbol { Arity: 0 } && !method.ReturnsByRef)
        {
            returnKind = ReturnKind.Task;
        }
        else if (KnownSymbols.Is(method.ReturnType, _known.ValueTask) && method.ReturnType is INamedTypeSymbol { Arity: 0 } && !method.ReturnsByRef)
        {
            returnKind = ReturnKind.ValueTask;
        }
        else
        {
            returnKind = ReturnKind.Void;
            Problem(ReturnTypeLocation(method), "it returns '" + method.ReturnType.ToDisplayString() + "'", "it return void, Task or ValueTask (a background job's result goes nowhere)");
        }

        var takesToken = false;
        foreach (var parameter in method.Parameters)
        {
            if (!takesToken && parameter.RefKind == RefKind.None && KnownSymbols.Is(parameter.Type, _known.CancellationToken))
            {
                takesToken = true;
                continue;
            }

            Problem(parameter.Locations.FirstOrDefault(), $"parameter '{parameter.Name}' is not allowed, as a background job takes at most one CancellationToken", "it take no parameters, or only a CancellationToken");
        }

        return ok ? new BackgroundJobModel(Literals.Identifier(method.Name), method.Name, schedule!, returnKind, takesToken) : null;
    }

    private List<CapabilityModel> Capabilities(AttributeData nodeAttribute)
    {
        var result = new List<CapabilityModel>();
        foreach (var argument in nodeAttribute.NamedArguments)
        {
            if (argument.Key == "Capabilities" && argument.Value.Kind == TypedConstantKind.Array && !argument.Value.IsNull)
            {
                foreach (var value in argument.Value.Values)
                {
                    if (value.Value is string name)
                    {
                        result.Add(new CapabilityModel(name, "", "{}", "{}"));
                    }
                }
            }
        }

        var attributes = _type.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _known.CapabilityAttribute));
        foreach (var attribute in SymbolOrdering.Attributes(attributes))
        {
            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
            {
                result.Add(new CapabilityModel(
                    name,
                    AttributeArguments.Named(attribute, "Description") as string ?? "",
                    NonEmpty(AttributeArguments.Named(attribute, "InputSchema") as string) ?? "{}",
                    NonEmpty(AttributeArguments.Named(attribute, "OutputSchema") as string) ?? "{}"));
            }
        }

        return result;
    }

    internal static bool IsPartialChain(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            foreach (var reference in t.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }
        }

        return true;
    }

    internal static string Declaration(INamedTypeSymbol type)
    {
        var keyword = type.IsRecord
            ? (type.IsValueType ? "partial record struct" : "partial record")
            : type.TypeKind switch
            {
                TypeKind.Struct => "partial struct",
                TypeKind.Interface => "partial interface",
                _ => "partial class",
            };
        var name = type.TypeParameters.Length == 0 ? type.Name : type.Name + "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">";
        return keyword + " " + name;
    }

    private static string? NonEmpty(string? value) => Literals.IsNullOrWhiteSpace(value) ? null : value;

    private Location? DeclarationLocation(AttributeData attribute)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken);
        var declaration = syntax?.FirstAncestorOrSelf<BaseTypeDeclarationSyntax>();
        return declaration?.Identifier.GetLocation() ?? _type.Locations.FirstOrDefault();
    }

    private Location? AttributeLocation(AttributeData attribute) => AttributeArguments.Location(attribute, _cancellationToken);

    private Location? AttributeArgumentLocation(AttributeData attribute, int index) => AttributeArguments.Location(attribute, index, _cancellationToken);

    private Location? NamedArgumentLocation(AttributeData attribute, string name) => AttributeArguments.Location(attribute, name, _cancellationToken);

    private Location? ReturnTypeLocation(IMethodSymbol method)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(_cancellationToken) is MethodDeclarationSyntax declaration)
            {
                return declaration.ReturnType.GetLocation();
            }
        }

        return method.Locations.FirstOrDefault();
    }

    private Location? ParameterTypeLocation(IParameterSymbol parameter)
    {
        foreach (var reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(_cancellationToken) is ParameterSyntax { Type: { } type })
            {
                return type.GetLocation();
            }
        }

        return parameter.Locations.FirstOrDefault();
    }

    private enum TaskKeywords
    {
        None,

        /// <summary>A task handler that is also an endpoint: C# names bind, "task"/"context" are aliases.</summary>
        Alias,

        /// <summary>A task handler only: "task"/"context" bind, C# names are aliases.</summary>
        Primary,
    }

    private readonly struct SignatureParameter
    {
        public SignatureParameter(ParameterKind kind, TypeModel? type)
        {
            Kind = kind;
            Type = type;
        }

        public ParameterKind Kind { get; }

        public TypeModel? Type { get; }
    }

    private sealed class Signature
    {
        public Signature(List<SignatureParameter> parameters, ReturnKind returnKind, TypeModel? result, bool isPublic)
        {
            Parameters = parameters;
            ReturnKind = returnKind;
            Result = result;
            IsPublic = isPublic;
        }

        public List<SignatureParameter> Parameters { get; }

        public ReturnKind ReturnKind { get; }

        public TypeModel? Result { get; }

        public bool IsPublic { get; }
    }

    private sealed class EndpointCandidate
    {
        public EndpointCandidate(IMethodSymbol method, AttributeData attribute, string name, Location? nameLocation, bool nameIsValid, Signature? signature)
        {
            Method = method;
            Attribute = attribute;
            Name = name;
            NameLocation = nameLocation;
            NameIsValid = nameIsValid;
            Signature = signature;
        }

        public IMethodSymbol Method { get; }

        public AttributeData Attribute { get; }

        public string Name { get; }

        public Location? NameLocation { get; }

        public bool NameIsValid { get; }

        public Signature? Signature { get; }
    }
}
