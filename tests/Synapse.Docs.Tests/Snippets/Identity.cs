// docs/identity.md: an agent's identity, saved, loaded, signing and verifying.
using Synapse.Identity;

namespace Synapse.Docs.Tests.Snippets;

internal static class IdentitySnippet
{
    public static bool Run(byte[] message)
    {
        using AgentIdentity me = AgentIdentity.Generate();
        Console.WriteLine(me.Id);                     // did:key:z6Mk…
        me.Save("agent.key", passphrase: "…");        // owner-only file, encrypted

        using AgentIdentity again = AgentIdentity.Load("agent.key", passphrase: "…");
        byte[] signature = again.Sign(message);
        bool ok = AgentId.Parse("did:key:z6Mk…").Verify(message, signature);

        return ok;
    }
}
