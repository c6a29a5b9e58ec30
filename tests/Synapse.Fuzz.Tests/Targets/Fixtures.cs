using Synapse.Envelopes;
using Synapse.Identity;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>Fixed identities and times the targets' seeds are made with.</summary>
internal static class Fixtures
{
    /// <summary>A fixed time the signed seeds are issued at.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<AgentIdentity> s_alice = new(() => FromByte(1));
    private static readonly Lazy<AgentIdentity> s_bob = new(() => FromByte(2));
    private static readonly Lazy<AgentIdentity> s_relay = new(() => FromByte(3));
    private static readonly Lazy<EncryptionKeyPair> s_bobKey = new(() => EncryptionKeyPair.Derive(Bob, 0, TimeSpan.FromDays(3650)));

    /// <summary>A sender.</summary>
    public static AgentIdentity Alice => s_alice.Value;

    /// <summary>A recipient.</summary>
    public static AgentIdentity Bob => s_bob.Value;

    /// <summary>A relay.</summary>
    public static AgentIdentity Relay => s_relay.Value;

    /// <summary>Bob's encryption key, valid for ten years from the first use.</summary>
    public static EncryptionKeyPair BobKey => s_bobKey.Value;

    private static AgentIdentity FromByte(byte value)
    {
        var seed = new byte[32];
        seed.AsSpan().Fill(value);
        return AgentIdentity.FromSeed(seed);
    }
}
