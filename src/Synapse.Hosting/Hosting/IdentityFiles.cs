using Synapse.Identity;

namespace Synapse.Hosting;

/// <summary>Identities from key files written by <c>synapse identity new</c>, as agents, clients and relay clients configure them.</summary>
internal static class IdentityFiles
{
    /// <summary>Adds to <paramref name="problems"/> what would keep the key file from loading, naming the keys.</summary>
    public static void Check(string section, string? file, string? passphraseVariable, List<string> problems)
    {
        if (file is not null && !File.Exists(file))
        {
            problems.Add($"{section}:IdentityFile: no key file at '{file}' (create one with `synapse identity new`)");
        }

        if (passphraseVariable is not null && Environment.GetEnvironmentVariable(passphraseVariable) is null)
        {
            problems.Add($"{section}:IdentityPassphraseVariable: the environment variable '{passphraseVariable}' is not set");
        }
    }

    /// <summary>The identity in <paramref name="file"/>, decrypted with the passphrase in the variable when one is named; null without a file.</summary>
    public static AgentIdentity? Load(string? file, string? passphraseVariable) =>
        file is null ? null : AgentIdentity.Load(file, passphraseVariable is null ? null : Environment.GetEnvironmentVariable(passphraseVariable));
}

/// <summary>A client's identity from its key file (null: none configured), disposed with the container.</summary>
internal sealed class ClientIdentity(AgentIdentity? identity) : IDisposable
{
    public AgentIdentity? Identity { get; } = identity;

    public void Dispose() => Identity?.Dispose();
}
