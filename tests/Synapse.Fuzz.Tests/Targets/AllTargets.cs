using Synapse.Fuzz.Tests.Engine;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>Every fuzz target, by name.</summary>
public static class AllTargets
{
    /// <summary>A fresh instance of each target.</summary>
    public static IReadOnlyList<FuzzTarget> Create() =>
    [
        new RpcRequestTarget(),
        new RpcResponseTarget(),
        new MsgPackValueTarget(),
        new RelayFrameTarget(),
        new SummonerLineTarget(),
        new DnsPacketTarget(),
        new SealedEnvelopeTarget(),
        new AgentCardTarget(),
        new KeyCertificateTarget(),
        new DecisionRecordTarget(),
        new EvidenceSetTarget(),
        new ReputationReportTarget(),
        new QuarantineAttestationTarget(),
        new NoiseFirstMessageTarget(),
        new NoiseThirdMessageTarget(),
        new RelayConfigTarget(),
        new TracedPayloadTarget(),
        new TaskMessageTarget(),
        new ArtifactTarget(),
        new SwarmEventTarget(),
    ];

    /// <summary>The names, for xunit's member data.</summary>
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var target in Create())
        {
            names.Add(target.Name);
        }

        return names;
    }
}
