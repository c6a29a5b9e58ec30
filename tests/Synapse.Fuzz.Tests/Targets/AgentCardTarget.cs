using Synapse.Discovery;
using Synapse.Envelopes;
using Synapse.Fuzz.Tests.Engine;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>A relay or finder reading a published card: <see cref="AgentCard.Decode"/>, then <see cref="AgentCard.Verify"/>.</summary>
public sealed class AgentCardTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "agent-card";

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        using var key = EncryptionKeyPair.Derive(Fixtures.Alice, 0, TimeSpan.FromDays(3650));
        AgentCapability[] capabilities =
        [
            new("translate", "Translates text", """{"type":"object"}""", """{"type":"string"}"""),
            new("ping", "", "", ""),
        ];
        RelayAddress[] relays = [new("tcp://relay.example:7400", Fixtures.Relay.Id), new("tcp://10.0.0.1:7400")];
        yield return AgentCard.Sign(Fixtures.Alice, "translator", "worker", "French and German", capabilities, relays, key.Certificate, Fixtures.Start, Fixtures.Start.AddDays(3650)).Encode();
        yield return AgentCard.Sign(Fixtures.Bob, "b", "", "", [], [], null, Fixtures.Start, Fixtures.Start.AddHours(1)).Encode();
    }

    /// <inheritdoc />
    public override void Run(byte[] input) => AgentCard.Decode(input).Verify(Fixtures.Start.AddMinutes(1));

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is AgentCardException;
}
