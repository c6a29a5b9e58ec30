using Microsoft.CodeAnalysis;

namespace Synapse.Generators.Common;

/// <summary>The flow attributes and runtime types of one compilation.</summary>
internal sealed class FlowSymbols
{
    public FlowSymbols(Compilation compilation)
    {
        ReceiveAttribute = compilation.GetTypeByMetadataName("Synapse.ReceiveAttribute");
        SendAttribute = compilation.GetTypeByMetadataName("Synapse.SendAttribute");
        HookAttribute = compilation.GetTypeByMetadataName("Synapse.HookAttribute");
        UploadStatesAttribute = compilation.GetTypeByMetadataName("Synapse.UploadStatesAttribute");
        DownloadStatesAttribute = compilation.GetTypeByMetadataName("Synapse.DownloadStatesAttribute");
        ArrowStyleAttribute = compilation.GetTypeByMetadataName("Synapse.ArrowStyleAttribute");
        FlowEvent = compilation.GetTypeByMetadataName("Synapse.Flows.FlowEvent");
        StateTape = compilation.GetTypeByMetadataName("Synapse.Flows.StateTape");
    }

    public INamedTypeSymbol? ReceiveAttribute { get; }

    public INamedTypeSymbol? SendAttribute { get; }

    public INamedTypeSymbol? HookAttribute { get; }

    public INamedTypeSymbol? UploadStatesAttribute { get; }

    public INamedTypeSymbol? DownloadStatesAttribute { get; }

    public INamedTypeSymbol? ArrowStyleAttribute { get; }

    public INamedTypeSymbol? FlowEvent { get; }

    public INamedTypeSymbol? StateTape { get; }

    /// <summary>The method attributes, with the names diagnostics use.</summary>
    public (INamedTypeSymbol? Attribute, string Name)[] MethodAttributes => new[]
    {
        (ReceiveAttribute, "Receive"),
        (SendAttribute, "Send"),
        (HookAttribute, "Hook"),
        (UploadStatesAttribute, "UploadStates"),
        (DownloadStatesAttribute, "DownloadStates"),
    };
}
