using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Synapse.Generators.Common;

/// <summary>The well-known types of one compilation, looked up once per analysis.</summary>
internal sealed class KnownSymbols
{
    public const string AgentNodeAttributeName = "Synapse.AgentNodeAttribute";
    public const string SynapseMessageAttributeName = "Synapse.SynapseMessageAttribute";

    public KnownSymbols(Compilation compilation)
    {
        Compilation = compilation;
        AgentNodeAttribute = compilation.GetTypeByMetadataName(AgentNodeAttributeName);
        EndpointAttribute = compilation.GetTypeByMetadataName("Synapse.EndpointAttribute");
        TaskHandlerAttribute = compilation.GetTypeByMetadataName("Synapse.TaskHandlerAttribute");
        BackgroundAttribute = compilation.GetTypeByMetadataName("Synapse.BackgroundAttribute");
        EveryAttribute = compilation.GetTypeByMetadataName("Synapse.EveryAttribute");
        CronAttribute = compilation.GetTypeByMetadataName("Synapse.CronAttribute");
        SolarAttribute = compilation.GetTypeByMetadataName("Synapse.SolarAttribute");
        CapabilityAttribute = compilation.GetTypeByMetadataName("Synapse.CapabilityAttribute");
        SynapseMessageAttribute = compilation.GetTypeByMetadataName(SynapseMessageAttributeName);
        MessageKeyAttribute = compilation.GetTypeByMetadataName("Synapse.MessageKeyAttribute");
        CallContext = compilation.GetTypeByMetadataName("Synapse.Rpc.CallContext");
        SwarmBroadcast = compilation.GetTypeByMetadataName("Synapse.Swarm.SwarmBroadcast");
        SynapseClient = compilation.GetTypeByMetadataName("Synapse.Client.SynapseClient") ?? compilation.GetTypeByMetadataName("Synapse.Rpc.SynapseClient");
        MsgPackValue = compilation.GetTypeByMetadataName("Synapse.MessagePack.MsgPackValue");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        AsyncEnumerableOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        ProgressOfT = compilation.GetTypeByMetadataName("System.IProgress`1");
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        ReadOnlyMemory = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1");
        List = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        Dictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
        ReadOnlyDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyDictionary`2");
        IDictionary = compilation.GetTypeByMetadataName("System.Collections.Generic.IDictionary`2");
        SetsRequiredMembersAttribute = compilation.GetTypeByMetadataName("System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute");
        Flow = new FlowSymbols(compilation);
    }

    /// <summary>The flow attributes and types.</summary>
    public FlowSymbols Flow { get; }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? AgentNodeAttribute { get; }

    public INamedTypeSymbol? EndpointAttribute { get; }

    public INamedTypeSymbol? TaskHandlerAttribute { get; }

    public INamedTypeSymbol? BackgroundAttribute { get; }

    public INamedTypeSymbol? EveryAttribute { get; }

    public INamedTypeSymbol? CronAttribute { get; }

    public INamedTypeSymbol? SolarAttribute { get; }

    /// <summary>The attributes that make a method a background job, with their short names.</summary>
    public IEnumerable<(INamedTypeSymbol? Attribute, string Name)> ScheduleAttributes =>
        [(BackgroundAttribute, "Background"), (EveryAttribute, "Every"), (CronAttribute, "Cron"), (SolarAttribute, "Solar")];

    public INamedTypeSymbol? CapabilityAttribute { get; }

    public INamedTypeSymbol? SynapseMessageAttribute { get; }

    public INamedTypeSymbol? MessageKeyAttribute { get; }

    public INamedTypeSymbol? CallContext { get; }

    /// <summary><c>Synapse.Swarm.SwarmBroadcast</c>: the envelope of a swarm broadcast, bound by the runtime.</summary>
    public INamedTypeSymbol? SwarmBroadcast { get; }

    public INamedTypeSymbol? SynapseClient { get; }

    public INamedTypeSymbol? MsgPackValue { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    /// <summary><c>System.Collections.Generic.IAsyncEnumerable&lt;T&gt;</c>: what a streaming endpoint returns.</summary>
    public INamedTypeSymbol? AsyncEnumerableOfT { get; }

    /// <summary><c>System.IProgress&lt;T&gt;</c>: a parameter through which an endpoint reports progress to its caller.</summary>
    public INamedTypeSymbol? ProgressOfT { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? Guid { get; }

    public INamedTypeSymbol? ReadOnlyMemory { get; }

    public INamedTypeSymbol? List { get; }

    public INamedTypeSymbol? Dictionary { get; }

    public INamedTypeSymbol? ReadOnlyDictionary { get; }

    public INamedTypeSymbol? IDictionary { get; }

    public INamedTypeSymbol? SetsRequiredMembersAttribute { get; }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        known is not null && type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known);

    public AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return null;
        }

        foreach (var data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return data;
            }
        }

        return null;
    }

    public bool Has(ISymbol symbol, INamedTypeSymbol? attribute) => Find(symbol, attribute) is not null;
}
