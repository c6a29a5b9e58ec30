namespace Synapse.Cli.Tests;

/// <summary>What one run of the tool produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stderr as lines, without the trailing empty one.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs <see cref="SynapseCli.RunAsync"/> in-process.</summary>
internal static class Cli
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var stdout = new CapturingWriter { NewLine = "\n" };
        var stderr = new CapturingWriter { NewLine = "\n" };
        var code = await SynapseCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts the tool in-process in the background, for commands that run until stopped.</summary>
    public static RunningCli Start(params string[] args)
    {
        var stdout = new CapturingWriter { NewLine = "\n" };
        var stderr = new CapturingWriter { NewLine = "\n" };
        var stop = new CancellationTokenSource();
        var exit = Task.Run(() => SynapseCli.RunAsync(args, stdout, stderr, stop.Token));
        return new RunningCli(exit, stdout, stderr, stop);
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    public static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A run of the tool still going: its output so far, and Ctrl+C.</summary>
internal sealed record RunningCli(Task<int> Exit, CapturingWriter Stdout, CapturingWriter Stderr, CancellationTokenSource Stop) : IAsyncDisposable
{
    /// <summary>Waits for a line of stdout containing <paramref name="text"/>.</summary>
    public Task<string> WaitForLineAsync(string text) => Stdout.WaitForLineAsync(text, Exit, TimeSpan.FromSeconds(30));

    /// <summary>What it printed and its exit code, once it ended by itself (or after Ctrl+C).</summary>
    public async Task<CliResult> ResultAsync()
    {
        var code = await Exit.WaitAsync(TimeSpan.FromSeconds(60));
        return new CliResult(code, Stdout.ToString(), Stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Stop.CancelAsync();
        try
        {
            await Exit.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Stop.Dispose();
        }
    }
}
