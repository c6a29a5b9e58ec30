using Synapse.Hosting;

namespace Synapse.Reputation;

/// <summary>Serving reputation evidence from a host: the book attaches itself to <see cref="AgentHostOptions"/>.</summary>
public static class ReputationHostingExtensions
{
    extension(AgentHostOptions options)
    {
        /// <summary>
        /// The reputation evidence the host serves with the <c>_agent.evidence</c> built-in: the encoded
        /// <see cref="EvidenceSet"/> about the agent a caller names, cut to fit one response (see
        /// <c>docs/reputation.md</c>). The host only reads the book. <c>null</c> (the default) leaves the built-in
        /// unregistered. Restrict who may fetch with <see cref="AgentHostOptions.AllowCallers"/>(<c>"_agent.evidence"</c>, …).
        /// </summary>
        public ReputationBook? ReputationBook
        {
            get => options.Feature<EvidenceFeature>()?.Book;
            set => options.SetFeature(value is null ? null : new EvidenceFeature(value));
        }
    }
}
