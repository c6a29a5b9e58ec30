namespace Synapse.Generators;

/// <summary>Names of the incremental pipeline steps, for caching tests (<c>WithTrackingName</c>).</summary>
internal static class TrackingNames
{
    public const string NodeResults = "Synapse.NodeResults";
    public const string NodeModels = "Synapse.NodeModels";
    public const string MessageResults = "Synapse.MessageResults";
    public const string Formatters = "Synapse.Formatters";
    public const string Diagnostics = "Synapse.Diagnostics";
    public const string FlowResults = "Synapse.FlowResults";
    public const string TriggersFiles = "Synapse.TriggersFiles";
    public const string FlowModels = "Synapse.FlowModels";
    public const string TriggerClasses = "Synapse.TriggerClasses";
    public const string FlowDiagnostics = "Synapse.FlowDiagnostics";
}
