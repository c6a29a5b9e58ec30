using System;
using Microsoft.CodeAnalysis;

namespace Synapse.Generators.Diagnostics;

/// <summary>The diagnostic descriptors. The generator category (SYN002, SYN010, SYN016–SYN018, SYN022–SYN024, SYN9999) is reported by the generator; the rest by <see cref="SynapseAnalyzer"/>.</summary>
internal static class DiagnosticDescriptors
{
    public const string UsageCategory = "Synapse.Usage";
    public const string GeneratorCategory = "Synapse.Generator";
    private const string HelpBase = "docs/diagnostics/"; // repository-relative until the public repository URL is fixed

    public static readonly DiagnosticDescriptor NodeNotPartial = Error(
        DiagnosticIds.NodeNotPartial,
        "[AgentNode] class must be partial",
        "[AgentNode] class '{0}' must be a non-static partial class, and every type that contains it must be partial; declare it 'partial' and not 'static', and add 'partial' to every type that contains it",
        "The generator adds the dispatcher and the IAgentNode implementation to the class, which needs a 'partial' declaration.");

    public static readonly DiagnosticDescriptor DuplicateEndpointName = Error(
        DiagnosticIds.DuplicateEndpointName,
        "Duplicate endpoint name",
        "Endpoint name '{0}' is already used by method '{1}' of this agent; rename one of the two endpoints (as in [Endpoint(\"other_name\")])",
        "Each endpoint of an agent needs a distinct wire name; the later endpoint is not generated.",
        GeneratorCategory);

    public static readonly DiagnosticDescriptor ReservedEndpointPrefix = Error(
        DiagnosticIds.ReservedEndpointPrefix,
        "Reserved endpoint name prefix",
        "Endpoint name '{0}' uses the reserved prefix '{1}'; rename the endpoint so that it does not start with '{1}'",
        "Names starting with '_synapse.', '_agent.' or '_node.' belong to the built-in endpoints of every host.");

    public static readonly DiagnosticDescriptor InvalidEndpointName = Error(
        DiagnosticIds.InvalidEndpointName,
        "Invalid endpoint name",
        "Endpoint name '{0}' is invalid: it must start with an ASCII letter or '_', contain only ASCII letters, digits, '_', '.' and '-', and have no '..' or trailing '.'; rename it, or give the method a valid wire name (as in [Endpoint(\"my_name\")])",
        "Endpoint names travel on the wire and are matched byte for byte; they are restricted to a portable ASCII subset.");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(
        DiagnosticIds.UnsupportedParameterType,
        "Unsupported parameter type",
        "Parameter '{0}' of method '{1}' has type '{2}', which Synapse cannot serialize; change the parameter's type: {3}",
        "Wire parameters must have a type the generated MessagePack code supports.");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        DiagnosticIds.UnsupportedReturnType,
        "Unsupported return type",
        "Method '{0}' returns '{1}', which Synapse cannot serialize; make the method return T, Task<T>, ValueTask<T> or IAsyncEnumerable<T> of a supported T, or void, Task or ValueTask: {2}",
        "Endpoints return void, T, Task, Task<T>, ValueTask or ValueTask<T>, or stream IAsyncEnumerable<T>, where T is a supported type.");

    public static readonly DiagnosticDescriptor MultipleCancellationTokens = Error(
        DiagnosticIds.MultipleCancellationTokens,
        "More than one CancellationToken parameter",
        "Method '{0}' has more than one CancellationToken parameter, so parameter '{1}' cannot be bound; remove '{1}' (the runtime binds one CancellationToken per call)",
        "The runtime binds a single CancellationToken parameter to the call's cancellation.");

    public static readonly DiagnosticDescriptor AsyncVoid = Error(
        DiagnosticIds.AsyncVoid,
        "async void endpoint",
        "Method '{0}' is 'async void', so nothing can observe its completion or exceptions; make it return Task or ValueTask instead",
        "The runtime cannot observe completion or exceptions of an async void method.");

    public static readonly DiagnosticDescriptor AttributeOutsideNode = Error(
        DiagnosticIds.AttributeOutsideNode,
        "Synapse method attribute outside an [AgentNode] class",
        "[{0}] on method '{1}' has no effect because '{2}' is not marked [AgentNode]; add [AgentNode] to '{2}' (and make it partial), or remove [{0}]",
        "Only methods declared in an [AgentNode] class become endpoints, task handlers or background jobs.");

    public static readonly DiagnosticDescriptor MultipleTaskHandlers = Error(
        DiagnosticIds.MultipleTaskHandlers,
        "More than one [TaskHandler]",
        "Agent '{0}' already has the task handler '{1}', so [TaskHandler] on '{2}' is ignored; remove [TaskHandler] from one of them",
        "An agent answers _agent.ask with exactly one method.",
        GeneratorCategory);

    public static readonly DiagnosticDescriptor InvalidBackgroundJob = Error(
        DiagnosticIds.InvalidBackgroundJob,
        "Invalid background job method",
        "[{0}] method '{1}' is invalid: {2}; make {3}",
        "Background jobs ([Background], [Every], [Cron], [Solar]) are non-generic instance methods with one schedule attribute, returning void, Task or ValueTask and taking at most a CancellationToken.");

    public static readonly DiagnosticDescriptor InvalidMessageType = Error(
        DiagnosticIds.InvalidMessageType,
        "[SynapseMessage] type cannot be serialized",
        "[SynapseMessage] type '{0}' cannot be serialized; change it (or remove [SynapseMessage]): {1}",
        "Message types need a usable public constructor and members of supported types.");

    public static readonly DiagnosticDescriptor InvalidEndpointSignature = Error(
        DiagnosticIds.InvalidEndpointSignature,
        "Unsupported endpoint method shape",
        "Method '{0}' cannot be an endpoint: {1}; make {2}",
        "Endpoints are non-generic instance methods without ref, out or in parameters and with at most 64 wire parameters.");

    public static readonly DiagnosticDescriptor InvalidRoute = Error(
        DiagnosticIds.InvalidRoute,
        "Malformed flow route",
        "Route \"{1}\" of '{0}' is malformed: {2}; write {3}",
        "Flow routes use Summoner's grammar (a --> b, a --[ f ]--> b, --> b, objects a, b, and the gates /all, /not(...), /oneof(...)); they are parsed at compile time.");

    public static readonly DiagnosticDescriptor InvalidArrowStyle = Error(
        DiagnosticIds.InvalidArrowStyle,
        "Invalid arrow style",
        "[ArrowStyle] is invalid: {0}; change that part of the style (the default style is [ArrowStyle(\"-\", \"[\", \"]\", \",\", \">\")])",
        "The stem is one character; brackets, separator and tip are non-empty; the doubled stem, brackets and tip do not contain one another; the separator contains none of them nor '(', ')' or '/'.");

    public static readonly DiagnosticDescriptor UnknownTrigger = Error(
        DiagnosticIds.UnknownTrigger,
        "Unknown trigger",
        "Sender '{0}' reacts to trigger '{1}', {2}; use {3}",
        "OnTriggers names triggers of the node's TRIGGERS file: a name unique in the file, or the dotted path (ok.match).",
        GeneratorCategory);

    public static readonly DiagnosticDescriptor MissingTriggersFile = Error(
        DiagnosticIds.MissingTriggersFile,
        "OnTriggers without a TRIGGERS file",
        "Sender '{0}' uses OnTriggers but the project has no TRIGGERS file; add one and include it with <AdditionalFiles Include=\"TRIGGERS\" />",
        "Trigger names are resolved at compile time against the TRIGGERS file, which the compiler sees only as an additional file.",
        GeneratorCategory);

    public static readonly DiagnosticDescriptor InvalidTriggersFile = Error(
        DiagnosticIds.InvalidTriggersFile,
        "Malformed TRIGGERS file",
        "TRIGGERS: {0}; change {1}",
        "TRIGGERS holds one name per line, indented to nest; names are letters, digits and '_', not C# keywords, not starting with '_'.",
        GeneratorCategory);

    public static readonly DiagnosticDescriptor InvalidFlowMethod = Error(
        DiagnosticIds.InvalidFlowMethod,
        "Invalid flow method",
        "[{0}] method '{1}' is invalid: {2}; make {3}",
        "Flow methods have the shapes the generated flow table can call; see the page of this diagnostic for each attribute.");

    public static readonly DiagnosticDescriptor DuplicateHookPriority = Error(
        DiagnosticIds.DuplicateHookPriority,
        "Two hooks with the same priority",
        "Hook '{0}' has the same direction ({2}) and priority {3} as hook '{1}'; give one of them another Priority (as in Priority = new[] {{ 2 }})",
        "Hooks of one direction run in priority order, so two of them cannot share a priority (Summoner silently keeps only the last one).");

    public static readonly DiagnosticDescriptor MultipleStateMethods = Error(
        DiagnosticIds.MultipleStateMethods,
        "More than one [UploadStates] or [DownloadStates]",
        "[{0}] is already on '{2}' in '{1}', so '{3}' is ignored; remove [{0}] from one of them",
        "A flow has at most one method that uploads its states and one that downloads them.");

    public static readonly DiagnosticDescriptor SenderNeverTriggered = Error(
        DiagnosticIds.SenderNeverTriggered,
        "Reactive sender that no receiver can trigger",
        "Reactive sender '{0}' on route \"{1}\" never runs: no receiver's route is accepted by it; change its route so that it accepts a receiver's route (as in \"/all --> /all\"), or add a receiver on such a route",
        "A reactive sender runs on events of receivers whose route its own route accepts (each of its nodes accepts some node of the same part).",
        GeneratorCategory);

    public static readonly DiagnosticDescriptor UnreachableState = Warning(
        DiagnosticIds.UnreachableState,
        "State no route reaches",
        "State '{0}' is used by route \"{1}\" of '{2}' but no arrow of the flow has it as a target or label; add a receiver whose arrow reaches it (as in \"--> {0}\"), or suppress SYN023 if [UploadStates] provides it",
        "A state is entered when an arrow moves to it (its targets and labels). One that no arrow reaches can only come from [UploadStates]; if that is intended, add an initial route (--> state) or suppress the warning.");

    public static readonly DiagnosticDescriptor ConflictingTriggersFiles = Error(
        DiagnosticIds.ConflictingTriggersFiles,
        "Nodes of one namespace with different TRIGGERS files",
        "'{0}' would use '{1}', but the Trigger class of namespace '{2}' is generated from '{3}'; put nodes with different TRIGGERS files in different namespaces",
        "The generated Trigger class is one per namespace.",
        GeneratorCategory);

    public static readonly DiagnosticDescriptor DuplicateReceiverRoute = Warning(
        DiagnosticIds.DuplicateReceiverRoute,
        "Two receivers with the same route and priority",
        "Receiver '{0}' has the same route as '{1}' (\"{2}\" once normalised) and the same priority {3}: both run, concurrently, on every state that activates either; merge them, or give one another Priority to run them one batch after the other",
        "Receivers of one priority run as one concurrent batch, each on every state its route accepts, so two receivers on the same route (same parts as sets of states and gates, whatever the spacing, order, repeats or arrow style) and the same priority always run together and both move the states. Summoner keeps only the last receiver registered on a route. Merge them, or give them different priorities to run them one batch after the other.",
        UsageCategory);

    public static readonly DiagnosticDescriptor MalformedCronExpression = Error(
        DiagnosticIds.MalformedCronExpression,
        "Malformed cron expression",
        "Cron expression \"{0}\" of '{1}' is malformed: {2}; write five fields, minute hour day-of-month month day-of-week (as in \"0 9 * * MON-FRI\"), or a macro such as @daily",
        "[Cron] expressions are parsed at compile time with the grammar the runtime's cron library (Cronos) accepts, so a malformed one fails the build instead of the host.");

    public static readonly DiagnosticDescriptor UnknownSolarEvent = Error(
        DiagnosticIds.UnknownSolarEvent,
        "Unknown solar event",
        "Solar event {0} of '{1}' is unknown; use " + Schedules.SolarEventNames.Known + ", or a SolarEvent member (as in [Solar(SolarEvent.Sunrise, 48.85, 2.35)])",
        "[Solar] takes a SolarEvent member or one of synapse-p2p's event names.");

    public static readonly DiagnosticDescriptor CoordinateOutOfRange = Error(
        DiagnosticIds.CoordinateOutOfRange,
        "Latitude or longitude out of range",
        "The {0} {1} of '{2}' is out of range; use a {0} from {3} to {4} degrees ({5})",
        "A latitude is from -90 (south pole) to 90 (north pole) degrees, a longitude from -180 to 180 degrees (east of Greenwich is positive).");

    public static readonly DiagnosticDescriptor InvalidScheduleInterval = Error(
        DiagnosticIds.InvalidScheduleInterval,
        "Invalid schedule interval",
        "The interval of [{0}] on '{1}' {2}; make it {3}",
        "[Background(seconds)] and [Every] need a positive, finite interval of at least one tick (100 ns) that fits a TimeSpan.");

    public static readonly DiagnosticDescriptor InternalError = Error(
        DiagnosticIds.InternalError,
        "Internal Synapse generator error",
        "The Synapse generator failed while processing '{0}': {1}; report this to the Synapse maintainers with the declaration of '{0}', and simplify or remove the member the error is about to work around it",
        "The generator hit an unexpected error, so generated code is missing or incomplete.",
        GeneratorCategory);

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        DiagnosticIds.NodeNotPartial => NodeNotPartial,
        DiagnosticIds.DuplicateEndpointName => DuplicateEndpointName,
        DiagnosticIds.ReservedEndpointPrefix => ReservedEndpointPrefix,
        DiagnosticIds.InvalidEndpointName => InvalidEndpointName,
        DiagnosticIds.UnsupportedParameterType => UnsupportedParameterType,
        DiagnosticIds.UnsupportedReturnType => UnsupportedReturnType,
        DiagnosticIds.MultipleCancellationTokens => MultipleCancellationTokens,
        DiagnosticIds.AsyncVoid => AsyncVoid,
        DiagnosticIds.AttributeOutsideNode => AttributeOutsideNode,
        DiagnosticIds.MultipleTaskHandlers => MultipleTaskHandlers,
        DiagnosticIds.InvalidBackgroundJob => InvalidBackgroundJob,
        DiagnosticIds.InvalidMessageType => InvalidMessageType,
        DiagnosticIds.InvalidEndpointSignature => InvalidEndpointSignature,
        DiagnosticIds.InvalidRoute => InvalidRoute,
        DiagnosticIds.InvalidArrowStyle => InvalidArrowStyle,
        DiagnosticIds.UnknownTrigger => UnknownTrigger,
        DiagnosticIds.MissingTriggersFile => MissingTriggersFile,
        DiagnosticIds.InvalidTriggersFile => InvalidTriggersFile,
        DiagnosticIds.InvalidFlowMethod => InvalidFlowMethod,
        DiagnosticIds.DuplicateHookPriority => DuplicateHookPriority,
        DiagnosticIds.MultipleStateMethods => MultipleStateMethods,
        DiagnosticIds.SenderNeverTriggered => SenderNeverTriggered,
        DiagnosticIds.UnreachableState => UnreachableState,
        DiagnosticIds.ConflictingTriggersFiles => ConflictingTriggersFiles,
        DiagnosticIds.DuplicateReceiverRoute => DuplicateReceiverRoute,
        DiagnosticIds.MalformedCronExpression => MalformedCronExpression,
        DiagnosticIds.UnknownSolarEvent => UnknownSolarEvent,
        DiagnosticIds.CoordinateOutOfRange => CoordinateOutOfRange,
        DiagnosticIds.InvalidScheduleInterval => InvalidScheduleInterval,
        DiagnosticIds.InternalError => InternalError,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "unknown diagnostic id"),
    };

    private static DiagnosticDescriptor Warning(string id, string title, string message, string description, string category = GeneratorCategory) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description, HelpBase + id + ".md");

    private static DiagnosticDescriptor Error(string id, string title, string message, string description, string category = UsageCategory) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, description, HelpBase + id + ".md");
}
