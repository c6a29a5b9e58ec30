namespace Synapse.Generators.Diagnostics;

/// <summary>The stable diagnostic ids of the Synapse generator and analyzers. Never reuse an id.</summary>
internal static class DiagnosticIds
{
    public const string NodeNotPartial = "SYN001";
    public const string DuplicateEndpointName = "SYN002";
    public const string ReservedEndpointPrefix = "SYN003";
    public const string InvalidEndpointName = "SYN004";
    public const string UnsupportedParameterType = "SYN005";
    public const string UnsupportedReturnType = "SYN006";
    public const string MultipleCancellationTokens = "SYN007";
    public const string AsyncVoid = "SYN008";
    public const string AttributeOutsideNode = "SYN009";
    public const string MultipleTaskHandlers = "SYN010";
    public const string InvalidBackgroundJob = "SYN011";
    public const string InvalidMessageType = "SYN012";
    public const string InvalidEndpointSignature = "SYN013";
    public const string InvalidRoute = "SYN014";
    public const string InvalidArrowStyle = "SYN015";
    public const string UnknownTrigger = "SYN016";
    public const string MissingTriggersFile = "SYN017";
    public const string InvalidTriggersFile = "SYN018";
    public const string InvalidFlowMethod = "SYN019";
    public const string DuplicateHookPriority = "SYN020";
    public const string MultipleStateMethods = "SYN021";
    public const string SenderNeverTriggered = "SYN022";
    public const string UnreachableState = "SYN023";
    public const string ConflictingTriggersFiles = "SYN024";
    public const string DuplicateReceiverRoute = "SYN025";
    public const string MalformedCronExpression = "SYN026";
    public const string UnknownSolarEvent = "SYN027";
    public const string CoordinateOutOfRange = "SYN028";
    public const string InvalidScheduleInterval = "SYN029";
    public const string InternalError = "SYN9999";
}
