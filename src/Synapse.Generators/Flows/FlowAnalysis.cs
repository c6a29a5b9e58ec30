using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;

namespace Synapse.Generators.Flows;

/// <summary>
/// The shared analysis of an [AgentNode]'s flow members: parses routes and arrow styles, checks signatures and
/// attribute values (findings the analyzer reports), and builds the emission model and the check model (which the
/// generator uses for the rules that need the whole flow or the <c>TRIGGERS</c> file).
/// </summary>
internal sealed partial class FlowAnalysis
{
    private readonly INamedTypeSymbol _type;
    private readonly KnownSymbols _known;
    private readonly FlowSignatures _signatures;
    private readonly CancellationToken _cancellationToken;
    private readonly List<ReceiverModel> _receivers = new();
    private readonly List<SenderModel> _senders = new();
    private readonly List<HookModel> _hooks = new();
    private readonly List<RouteCheck> _routes = new();
    private readonly List<TriggerUse> _triggerUses = new();
    private readonly Dictionary<string, string> _hookPriorities = new();
    private readonly Dictionary<string, string> _receiverRoutes = new();
    private IMethodSymbol? _uploadMethod;
    private IMethodSymbol? _downloadMethod;
    private FlowCall? _upload;
    private FlowCall? _download;
    private IReadOnlyList<ArrowStyle> _styles = new[] { ArrowStyle.Default };

    private FlowAnalysis(INamedTypeSymbol type, KnownSymbols known, CancellationToken cancellationToken)
    {
        _type = type;
        _known = known;
        _signatures = new FlowSignatures(known);
        _cancellationToken = cancellationToken;
    }

    public List<Finding> Findings { get; } = new();

    public bool HasFlowMembers { get; private set; }

    public static FlowAnalysis Analyze(INamedTypeSymbol type, KnownSymbols known, CancellationToken cancellationToken)
    {
        var analysis = new FlowAnalysis(type, known, cancellationToken);
        analysis.Run();
        return analysis;
    }

    private FlowSymbols Flow => _known.Flow;

    private void Run()
    {
        if (Flow.ReceiveAttribute is null)
        {
            return; // an older Synapse.Abstractions without flows
        }

        ReadStyles();
        foreach (var member in SymbolOrdering.Members(_type))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
            {
                continue;
            }

            if (_known.Find(method, Flow.ReceiveAttribute) is { } receive)
            {
                Receiver(method, receive);
            }

            if (_known.Find(method, Flow.SendAttribute) is { } send)
            {
                Sender(method, send);
            }

            if (_known.Find(method, Flow.HookAttribute) is { } hook)
            {
                Hook(method, hook);
            }

            if (_known.Find(method, Flow.UploadStatesAttribute) is { } upload)
            {
                StateMethod(method, upload, "UploadStates", ref _uploadMethod, ref _upload, FlowSignatures.Input.Payload, FlowSignatures.Result.Value);
            }

            if (_known.Find(method, Flow.DownloadStatesAttribute) is { } download)
            {
                StateMethod(method, download, "DownloadStates", ref _downloadMethod, ref _download, FlowSignatures.Input.StateTape, FlowSignatures.Result.Nothing);
            }
        }
    }

    private void ReadStyles()
    {
        var styles = new List<ArrowStyle>();
        foreach (var attribute in SymbolOrdering.Attributes(_type.GetAttributes()))
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, Flow.ArrowStyleAttribute) || attribute.ConstructorArguments.Length != 5)
            {
                continue;
            }

            var parts = attribute.ConstructorArguments.Select(a => a.Value as string ?? "").ToArray();
            var style = new ArrowStyle(parts[0], parts[1], parts[2], parts[3], parts[4]);
            if (style.Validate() is { } error)
            {
                Findings.Add(new Finding(DiagnosticDescriptors.InvalidArrowStyle, AttributeLocation(attribute), error));
                continue;
            }

            styles.Add(style);
        }

        _styles = ArrowStyle.WithDefault(styles);
    }

    private void Receiver(IMethodSymbol method, AttributeData attribute)
    {
        HasFlowMembers = true;
        var route = Route(method, attribute, isReceiver: true, isReactiveSender: false);
        var call = Signature(method, attribute, "Receive", FlowSignatures.Input.Payload, FlowSignatures.Result.FlowEvent);
        if (route is not null && call is not null)
        {
            var priority = IntArray(attribute, "Priority");
            SameRoute(method, attribute, route, priority);
            _receivers.Add(new ReceiverModel(method.Name, route, priority, call));
        }
    }

    /// <summary>
    /// SYN025: a receiver whose normalised route and priority equal an earlier receiver's. Only receivers that are
    /// generated count (an invalid one is already an error and never runs).
    /// </summary>
    private void SameRoute(IMethodSymbol method, AttributeData attribute, ParsedRoute route, EquatableArray<int> priority)
    {
        var normalized = route.Normalized;
        var key = normalized + "\n" + string.Join(",", priority);
        if (_receiverRoutes.TryGetValue(key, out var first))
        {
            Findings.Add(new Finding(
                DiagnosticDescriptors.DuplicateReceiverRoute,
                PositionalArgument(attribute)?.GetLocation() ?? AttributeLocation(attribute),
                method.Name,
                first,
                normalized,
                "(" + string.Join(", ", priority) + ")"));
            return;
        }

        _receiverRoutes.Add(key, method.Name);
    }

    private void Sender(IMethodSymbol method, AttributeData attribute)
    {
        HasFlowMembers = true;
        var triggers = Strings(attribute, "OnTriggers");
        var actions = AttributeArguments.Named(attribute, "OnActions") is int a ? a : 0;
        var multi = AttributeArguments.Named(attribute, "Multi") is true;
        var useData = AttributeArguments.Named(attribute, "UseData") is true;
        var every = AttributeArguments.Named(attribute, "Every") is double e ? e : 0;
        var runWhileName = AttributeArguments.Named(attribute, "RunWhile") as string;
        var reactive = triggers.Count > 0 || actions != 0;
        var route = Route(method, attribute, isReceiver: false, isReactiveSender: reactive);
        var valid = true;
        string? runWhile = null;
        if (every < 0 || double.IsNaN(every) || double.IsInfinity(every))
        {
            valid = Invalid(method, "Send", new("Every = " + every.ToString(CultureInfo.InvariantCulture) + " is not a valid interval", "Every a positive number of seconds, or 0 for an untimed sender"));
        }

        if (useData && !reactive)
        {
            valid = Invalid(method, "Send", new("UseData needs OnTriggers or OnActions (the data comes from the triggering event)", "the sender reactive with OnTriggers or OnActions, or remove UseData"));
        }

        if (runWhileName is not null)
        {
            runWhile = FlowSignatures.RunWhile(_type, runWhileName);
            if (every <= 0)
            {
                valid = Invalid(method, "Send", new("RunWhile needs Every (it pauses a timed sender)", "the sender timed with Every = seconds, or remove RunWhile"));
            }
            else if (runWhile is null)
            {
                valid = Invalid(method, "Send", new("RunWhile = \"" + runWhileName + "\" names no bool property or parameterless bool method of '" + _type.Name + "'", "RunWhile name one (as in RunWhile = nameof(IsRunning))"));
            }
        }

        var call = Signature(
            method,
            attribute,
            "Send",
            useData ? FlowSignatures.Input.Any : FlowSignatures.Input.None,
            multi ? FlowSignatures.Result.Values : FlowSignatures.Result.Value);
        if (route is not null && call is not null && valid)
        {
            _senders.Add(new SenderModel(method.Name, route, triggers.Select(t => t.Name).ToEquatableArray(), actions, multi, useData, every, runWhile, call));
        }

        foreach (var (name, location) in triggers)
        {
            _triggerUses.Add(new TriggerUse(name, method.Name, LocationInfo.From(location)));
        }
    }

    private void Hook(IMethodSymbol method, AttributeData attribute)
    {
        HasFlowMembers = true;
        var direction = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int d ? d : 0;
        var priority = IntArray(attribute, "Priority");
        var key = direction + ":" + string.Join(",", priority);
        if (_hookPriorities.TryGetValue(key, out var other))
        {
            Findings.Add(new Finding(
                DiagnosticDescriptors.DuplicateHookPriority,
                AttributeLocation(attribute),
                method.Name,
                other,
                direction == 0 ? "Receive" : "Send",
                "(" + string.Join(", ", priority) + ")"));
            return;
        }

        _hookPriorities.Add(key, method.Name);
        var call = Signature(method, attribute, "Hook", FlowSignatures.Input.Payload, FlowSignatures.Result.Value);
        if (call is not null)
        {
            _hooks.Add(new HookModel(method.Name, direction, priority, call));
        }
    }

    private void StateMethod(IMethodSymbol method, AttributeData attribute, string name, ref IMethodSymbol? first, ref FlowCall? call, FlowSignatures.Input input, FlowSignatures.Result result)
    {
        HasFlowMembers = true;
        if (first is not null)
        {
            Findings.Add(new Finding(DiagnosticDescriptors.MultipleStateMethods, AttributeLocation(attribute), name, _type.Name, first.Name, method.Name));
            return;
        }

        first = method;
        call = Signature(method, attribute, name, input, result);
    }

    private FlowCall? Signature(IMethodSymbol method, AttributeData attribute, string name, FlowSignatures.Input input, FlowSignatures.Result result)
    {
        var call = _signatures.Check(method, input, result, out var error);
        if (call is null)
        {
            Invalid(method, name, error!);
        }

        return call;
    }

    private bool Invalid(IMethodSymbol method, string name, FlowProblem problem)
    {
        Findings.Add(new Finding(DiagnosticDescriptors.InvalidFlowMethod, method.Locations.FirstOrDefault(), name, method.Name, problem.Problem, problem.Fix));
        return false;
    }
}
