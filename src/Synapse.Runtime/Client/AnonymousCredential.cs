using Synapse.Crypto.Noise;
using Synapse.Identity;

namespace Synapse.Client;

/// <summary>
/// What a client proves on a secure link when it was given no identity: one identity per process, generated on first
/// use and never stored, as a libp2p node has one peer id for all its connections. Sharing it spares each new client
/// an Ed25519 and an X25519 key in libsodium's guarded memory (system calls that do not scale across threads); the
/// cost is that a peer can tell two anonymous clients of one process apart from other processes, as it already can
/// by their address. Never disposed: it lives as long as the process.
/// </summary>
internal static class AnonymousCredential
{
    private static readonly Lazy<NoiseStaticCredential> Credential = new(Create);

    /// <summary>The process's anonymous credential.</summary>
    public static NoiseStaticCredential Shared => Credential.Value;

    private static NoiseStaticCredential Create()
    {
        using var identity = AgentIdentity.Generate();
        return NoiseStaticCredential.Create(identity);
    }
}
