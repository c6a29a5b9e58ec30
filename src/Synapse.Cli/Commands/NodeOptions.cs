using System.CommandLine;
using Synapse.Client;
using Synapse.Identity;

namespace Synapse.Cli.Commands;

/// <summary>The options of commands that call a node (<c>call</c>, <c>inspect</c>) and the client they configure.</summary>
internal sealed class NodeOptions
{
    private static readonly TimeSpan MaxSetupTime = TimeSpan.FromSeconds(10);

    public Argument<string> Address { get; } = new("HOST:PORT") { Description = "The node to call, e.g. 127.0.0.1:9999 or [::1]:9999" };

    public Option<string?> Identity { get; } = new("--identity")
    {
        Description = "Key file of the identity to prove on secure links (default: a throw-away identity)",
        HelpName = "FILE",
    };

    public Option<string?> PassphraseEnv { get; } = KeyFiles.PassphraseEnvOption();

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds a call may take, connecting included",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 30,
    };

    /// <summary>Adds the argument and options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Address);
        AddConnectionOptionsTo(command);
    }

    /// <summary>Adds <c>--identity</c>, <c>--passphrase-env</c> and <c>--timeout</c>, for a command that takes the address another way.</summary>
    public void AddConnectionOptionsTo(Command command)
    {
        command.Options.Add(Identity);
        command.Options.Add(PassphraseEnv);
        command.Options.Add(Timeout);
    }

    /// <summary>Reads the values; loads the identity (the caller disposes it).</summary>
    /// <exception cref="CliException">A value is invalid or the key file cannot be loaded (usage error).</exception>
    public Target Read(ParseResult parse) => Read(parse, parse.GetRequiredValue(Address));

    /// <summary>Reads the values with <paramref name="addressText"/> as the node's <c>HOST:PORT</c>; loads the identity (the caller disposes it).</summary>
    /// <exception cref="CliException">A value is invalid or the key file cannot be loaded (usage error).</exception>
    public Target Read(ParseResult parse, string addressText)
    {
        var address = NodeAddress.TryParse(addressText, out var parsed, out var invalid)
            ? parsed
            : throw CliException.Usage($"invalid address '{addressText}': {invalid}");
        var timeout = Seconds.Read(parse, Timeout);

        var passphrase = KeyFiles.ReadPassphrase(parse.GetValue(PassphraseEnv));
        var keyFile = parse.GetValue(Identity);
        if (keyFile is null && passphrase is not null)
        {
            throw CliException.Usage("--passphrase-env needs --identity FILE");
        }

        var identity = keyFile is null ? null : KeyFiles.Load(keyFile, passphrase);
        return new Target(address, timeout, identity);
    }

    /// <summary>What to call and how.</summary>
    internal sealed record Target(NodeAddress Address, TimeSpan Timeout, AgentIdentity? Identity) : IDisposable
    {
        /// <summary>A client for the node; connecting and the handshake fit in the timeout.</summary>
        public SynapseClient CreateClient()
        {
            var setup = Timeout < MaxSetupTime ? Timeout : MaxSetupTime;
            return new SynapseClient(Address.Host, Address.Port, new SynapseClientOptions
            {
                CallTimeout = Timeout,
                ConnectTimeout = setup,
                HandshakeTimeout = setup,
                Identity = Identity,
            });
        }

        /// <inheritdoc />
        public void Dispose() => Identity?.Dispose();
    }
}
