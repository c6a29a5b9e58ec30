using Synapse.Hosting;

namespace Synapse.Reputation;

/// <summary>Serving a reputation book's evidence as a host feature: each host that starts with it registers <c>_agent.evidence</c>.</summary>
internal sealed class EvidenceFeature(ReputationBook book) : IHostFeature
{
    /// <summary>The book the hosts read from.</summary>
    public ReputationBook Book { get; } = book;

    public void Validate()
    {
    }

    public NodeProfile Describe(NodeProfile profile) => profile;

    public IHostService Attach(AgentHost host, HostAddress address, CancellationToken stopping)
    {
        var endpoint = new EvidenceEndpoint(Book);
        host.Builtins.Add(EvidenceEndpoint.Name, endpoint.InvokeAsync);
        return endpoint;
    }
}
