using System.CommandLine;
using Synapse.Identity;

namespace Synapse.Cli.Commands;

/// <summary><c>synapse keygen [--out FILE] [--passphrase-env VAR] [--force]</c>: generates and saves an agent identity.</summary>
internal static class KeygenCommand
{
    public static Command Create(CliConsole console)
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "Where to save the key file (owner-only permissions)",
            HelpName = "FILE",
            DefaultValueFactory = _ => "agent.key",
        };
        var passphraseEnv = KeyFiles.PassphraseEnvOption();
        passphraseEnv.Description = "Encrypt the key with the passphrase held in this environment variable";
        var force = new Option<bool>("--force") { Description = "Replace an existing key file" };
        var command = new Command("keygen", "Generate an agent identity, save it to a key file and print its agent id")
        {
            output,
            passphraseEnv,
            force,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(output);
            var overwrite = parse.GetValue(force);
            var passphrase = KeyFiles.ReadPassphrase(parse.GetValue(passphraseEnv));
            Run(path, passphrase, overwrite, console);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Run(string path, string? passphrase, bool overwrite, CliConsole console)
    {
        if (!overwrite && (File.Exists(path) || Directory.Exists(path)))
        {
            throw CliException.Usage($"'{path}' already exists; pass --force to replace it");
        }

        using var identity = AgentIdentity.Generate();
        try
        {
            identity.Save(path, passphrase, overwrite);
        }
        catch (UnauthorizedAccessException e)
        {
            throw CliException.Failure($"cannot write key file '{path}': permission denied", e);
        }
        catch (IOException e)
        {
            throw CliException.Failure($"cannot write key file '{path}': {CliConsole.Clause(e.Message)}", e);
        }

        console.Out.WriteLine(identity.Id);
    }
}
