using System.CommandLine;
using System.Net.Sockets;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.RabbitMQ;
using Synapse.Relay.Server;

namespace Synapse.Cli.Commands;

/// <summary><c>synapse relay --config FILE</c>: runs a relay until Ctrl+C or SIGTERM.</summary>
internal static class RelayCommand
{
    public static Command Create(CliConsole console)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The relay's JSON configuration file",
            HelpName = "FILE",
            Required = true,
        };
        var command = new Command("relay", "Run a relay of sealed envelopes until Ctrl+C or SIGTERM") { config };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetRequiredValue(config), console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string path, CliConsole console, CancellationToken cancellationToken)
    {
        var options = LoadOptions(path);
        if (options.WorkerThreads is { } workers)
        {
            ThreadPool.GetMinThreads(out _, out var io);
            ThreadPool.SetMinThreads(workers, io);
        }

        await using var relay = Create(options, console);
        try
        {
            await relay.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw CliException.Failure($"cannot listen on {options.Host}:{options.Port}: {RpcErrors.Describe(e)}", e);
        }
        catch (InvalidOperationException e) when (options.Backplane is not null)
        {
            throw CliException.Failure(CliConsole.Clause(e.Message), e); // the broker is unreachable
        }

        await console.WriteLineNowAsync($"relay {relay.Id} listening on {relay.LocalEndPoint}").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the way a relay is asked to stop.
        }

        await relay.StopAsync().ConfigureAwait(false);
        console.Report("relay stopped");
        return ExitCodes.Ok;
    }

    private static RelayOptions LoadOptions(string path)
    {
        try
        {
            return RelayConfiguration.Load(path);
        }
        catch (RelayConfigurationException e)
        {
            throw CliException.Usage(e.Message, e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliException.Usage($"cannot read relay configuration '{path}': file not found", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw CliException.Usage($"cannot read relay configuration '{path}': permission denied", e);
        }
        catch (IOException e)
        {
            throw CliException.Usage($"cannot read relay configuration '{path}': {CliConsole.Clause(e.Message)}", e);
        }
    }

    /// <summary>Creates the relay; its options are validated and its identity file loaded here.</summary>
    private static RelayServer Create(RelayOptions options, CliConsole console)
    {
        try
        {
            var backplane = options.Backplane is null ? null : new RabbitMqBackplane(options);
            return new RelayServer(options, log: new RelayLog("synapse.relay", options.Logger, console.Error), backplane: backplane);
        }
        catch (RelayConfigurationException e)
        {
            throw CliException.Usage(e.Message, e);
        }
        catch (IdentityFileException e)
        {
            throw CliException.Usage(CliConsole.Clause(e.Message), e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && options.IdentityFile is { } file)
        {
            throw CliException.Usage($"cannot read the relay's key file '{file}': file not found", e);
        }
        catch (InvalidOperationException e) when (options.IdentityPassphraseEnv is not null)
        {
            throw CliException.Usage(CliConsole.Clause(e.Message), e); // the passphrase variable is not set
        }
    }
}
