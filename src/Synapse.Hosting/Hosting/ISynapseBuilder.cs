using Microsoft.Extensions.DependencyInjection;

namespace Synapse.Hosting;

/// <summary>What <see cref="SynapseServiceCollectionExtensions.AddSynapse"/> returns: add agents to it.</summary>
public interface ISynapseBuilder
{
    /// <summary>The app's services.</summary>
    IServiceCollection Services { get; }
}

internal sealed class SynapseBuilder(IServiceCollection services) : ISynapseBuilder
{
    public IServiceCollection Services { get; } = services;
}
