namespace Synapse.Hosting;

/// <summary>
/// A relay client's settings as configuration holds them (section <c>Synapse:RelayClients:{name}</c>): the relays,
/// in order of preference, and the identity the client registers as. Checked when the app starts, each problem named
/// by its key; unknown keys are errors.
/// </summary>
public sealed class RelayClientSettings
{
    /// <summary>The relays, in order of preference: the first that answers is used, the next on failure. At least one.</summary>
    public RelayAddressSettings[] Relays { get; set; } = [];

    /// <summary>A key file written by <c>synapse identity new</c>: who the client is to the relay and to the agents it writes to. A fresh identity each start when unset.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>The environment variable holding the key file's passphrase (never the passphrase itself).</summary>
    public string? IdentityPassphraseVariable { get; set; }

    /// <summary>How long a connection attempt, handshake included, may take.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>How long to wait before sending again a message a relay refused with "retry".</summary>
    public TimeSpan? RetryDelay { get; set; }
}

/// <summary>One relay of <see cref="RelayClientSettings.Relays"/>.</summary>
public sealed class RelayAddressSettings
{
    /// <summary>The relay's <c>HOST:PORT</c>. Required.</summary>
    public string? Address { get; set; }

    /// <summary>The agent id (did:key) the relay must prove; any relay identity is accepted when unset.</summary>
    public string? Id { get; set; }
}
