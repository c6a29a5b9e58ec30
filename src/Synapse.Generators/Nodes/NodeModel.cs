using Synapse.Generators.Common;
using Synapse.Generators.Diagnostics;
using Synapse.Generators.Messages;

namespace Synapse.Generators.Nodes;

/// <summary>Everything needed to emit one agent node's partial class, dispatcher and client.</summary>
internal sealed record NodeModel(
    string Namespace,
    string ClassName,
    string TypeName,
    string HintName,
    EquatableArray<string> ContainingTypeDeclarations,
    string Declaration,
    string AgentName,
    string Role,
    string Description,
    EquatableArray<EndpointModel> Endpoints,
    EquatableArray<CapabilityModel> Capabilities,
    EquatableArray<BackgroundJobModel> BackgroundJobs,
    EndpointModel? TaskHandler,
    int TaskHandlerTarget,
    string? SynapseClientType,
    string ClientAccessibility,
    string ClientName);

/// <summary>How a method returns.</summary>
internal enum ReturnKind
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: the endpoint streams items of the result type.</summary>
    Stream,
}

/// <summary>An invocation target: an endpoint or the task handler.</summary>
/// <param name="WireName">The endpoint name (or "" for a task handler that is not an endpoint).</param>
/// <param name="MethodName">The C# method identifier (escaped).</param>
/// <param name="Publish">Whether the endpoint is published.</param>
/// <param name="Description">The description for the manifest.</param>
/// <param name="InputSchema">JSON Schema of the arguments.</param>
/// <param name="OutputSchema">JSON Schema of the result.</param>
/// <param name="Parameters">All C# parameters in order.</param>
/// <param name="ReturnKind">How the method returns.</param>
/// <param name="Result">The result type for value-returning kinds.</param>
/// <param name="ClientMethodName">The typed client's method name.</param>
internal sealed record EndpointModel(
    string WireName,
    string MethodName,
    bool Publish,
    string Description,
    string InputSchema,
    string OutputSchema,
    EquatableArray<ParameterModel> Parameters,
    ReturnKind ReturnKind,
    TypeModel? Result,
    string ClientMethodName)
{
    public int WireParameterCount
    {
        get
        {
            var count = 0;
            foreach (var parameter in Parameters)
            {
                if (parameter.Kind == ParameterKind.Wire)
                {
                    count++;
                }
            }

            return count;
        }
    }
}

/// <summary>What binds a parameter.</summary>
internal enum ParameterKind
{
    Wire,
    CancellationToken,
    CallContext,

    /// <summary><c>SwarmBroadcast?</c>: the call's broadcast envelope, or null for a direct call.</summary>
    Broadcast,

    /// <summary><c>SwarmBroadcast</c>: the call's broadcast envelope; a direct call is refused.</summary>
    RequiredBroadcast,

    /// <summary><c>IProgress&lt;T&gt;</c>: reports go to the caller as they are made; <see cref="ParameterModel.Type"/> is <c>T</c>.</summary>
    Progress,
}

/// <summary>A method parameter.</summary>
/// <param name="Name">The C# identifier (escaped).</param>
/// <param name="Kind">What binds it.</param>
/// <param name="Type">The wire type (wire parameters only).</param>
/// <param name="KeywordName">The keyword that binds it and names it in errors.</param>
/// <param name="AliasName">A second accepted keyword (task handlers that are also endpoints), or null.</param>
/// <param name="DefaultLiteral">The C# default value expression, or null when required.</param>
internal sealed record ParameterModel(
    string Name,
    ParameterKind Kind,
    TypeModel? Type,
    string KeywordName,
    string? AliasName,
    string? DefaultLiteral);

/// <summary>A capability descriptor.</summary>
internal sealed record CapabilityModel(string Name, string Description, string InputSchema, string OutputSchema);

/// <summary>A background job ([Background], [Every], [Cron] or [Solar]).</summary>
/// <param name="MethodName">The C# method identifier (escaped).</param>
/// <param name="Name">The job name (method name).</param>
/// <param name="Schedule">When it runs.</param>
/// <param name="ReturnKind">Void, Task or ValueTask.</param>
/// <param name="TakesCancellationToken">Whether the method takes the token.</param>
internal sealed record BackgroundJobModel(string MethodName, string Name, ScheduleModel Schedule, ReturnKind ReturnKind, bool TakesCancellationToken);

/// <summary>The kind of a <see cref="ScheduleModel"/>.</summary>
internal enum ScheduleKind
{
    Interval,
    Cron,
    Solar,
}

/// <summary>A checked schedule: the fields of its <see cref="Kind"/> are set, the others are defaults.</summary>
/// <param name="Kind">Interval, cron or solar.</param>
/// <param name="IntervalTicks">The interval in ticks.</param>
/// <param name="CronExpression">The cron expression.</param>
/// <param name="TimeZone">The cron time zone id, or null for UTC.</param>
/// <param name="DayOr">The cron day-field rule.</param>
/// <param name="SolarEvent">The <c>Synapse.SolarEvent</c> member name.</param>
/// <param name="Latitude">The solar latitude.</param>
/// <param name="Longitude">The solar longitude.</param>
internal sealed record ScheduleModel(
    ScheduleKind Kind,
    long IntervalTicks = 0,
    string? CronExpression = null,
    string? TimeZone = null,
    bool DayOr = true,
    string? SolarEvent = null,
    double Latitude = 0,
    double Longitude = 0);

/// <summary>The output of the node transform: the model (null when nothing can be generated), diagnostics and formatters.</summary>
internal sealed record NodeResult(NodeModel? Node, EquatableArray<DiagnosticInfo> Diagnostics, FormatterSet Formatters);
