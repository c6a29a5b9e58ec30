using System.CommandLine;
using Synapse.Identity;

namespace Synapse.Cli;

/// <summary>Key-file options and loading, with failures turned into one clear line.</summary>
internal static class KeyFiles
{
    /// <summary>The <c>--passphrase-env VAR</c> option: the name of the environment variable holding the passphrase.</summary>
    public static Option<string?> PassphraseEnvOption() => new("--passphrase-env")
    {
        Description = "Name of the environment variable that holds the key file's passphrase",
        HelpName = "VAR",
    };

    /// <summary>Reads the passphrase from the variable named <paramref name="variable"/>; <c>null</c> when no variable was given.</summary>
    /// <exception cref="CliException">The variable is not set or is empty (usage error).</exception>
    public static string? ReadPassphrase(string? variable)
    {
        if (variable is null)
        {
            return null;
        }

        var value = Environment.GetEnvironmentVariable(variable);
        if (value is null)
        {
            throw CliException.Usage($"environment variable '{variable}' (from --passphrase-env) is not set");
        }

        return value.Length == 0
            ? throw CliException.Usage($"environment variable '{variable}' (from --passphrase-env) is empty")
            : value;
    }

    /// <summary>Loads the identity saved at <paramref name="path"/>.</summary>
    /// <exception cref="CliException">The file is missing, unreadable, corrupted or needs another passphrase (usage error).</exception>
    public static AgentIdentity Load(string path, string? passphrase)
    {
        try
        {
            return AgentIdentity.Load(path, passphrase);
        }
        catch (IdentityFileException e) when (e.Error == IdentityFileError.PassphraseRequired)
        {
            throw CliException.Usage($"{CliConsole.Clause(e.Message)} (pass --passphrase-env VAR)", e);
        }
        catch (IdentityFileException e)
        {
            throw CliException.Usage(CliConsole.Clause(e.Message), e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliException.Usage($"cannot read key file '{path}': file not found", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw CliException.Usage($"cannot read key file '{path}': permission denied", e);
        }
        catch (IOException e)
        {
            throw CliException.Usage($"cannot read key file '{path}': {CliConsole.Clause(e.Message)}", e);
        }
    }
}
