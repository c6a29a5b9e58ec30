using System.CommandLine;

namespace Synapse.Cli.Commands;

/// <summary><c>synapse id FILE [--passphrase-env VAR]</c>: prints the agent id of a key file.</summary>
internal static class IdCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("FILE") { Description = "The key file" };
        var passphraseEnv = KeyFiles.PassphraseEnvOption();
        var command = new Command("id", "Load a key file and print its agent id (did:key)") { file, passphraseEnv };
        command.SetAction(parse =>
        {
            var passphrase = KeyFiles.ReadPassphrase(parse.GetValue(passphraseEnv));
            using var identity = KeyFiles.Load(parse.GetRequiredValue(file), passphrase);
            console.Out.WriteLine(identity.Id);
            return ExitCodes.Ok;
        });
        return command;
    }
}
