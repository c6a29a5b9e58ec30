using System.Diagnostics;
using System.Text.Json;

namespace Synapse.Testing;

/// <summary>Runs tests/interop/synapse_p2p_peer.py with the system Python and its python3-msgpack.</summary>
internal static class PythonPeer
{
    public const string Python = "/usr/bin/python3";

    public static string Script => RepositoryRoot.Path("tests", "interop", "synapse_p2p_peer.py");

    /// <summary>Calls our host the way synapse-p2p's Client.call does and returns the decoded response.</summary>
    public static async Task<JsonElement> CallAsync(int port, string endpoint, string argsJson, string kwargsJson = "{}")
    {
        var (exit, stdout, stderr) = await RunAsync(["call", port.ToString(System.Globalization.CultureInfo.InvariantCulture), endpoint, argsJson, kwargsJson]);
        Assert.True(exit == 0, $"python peer failed ({exit}): {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary>The size and SHA-256 Python's <c>json.dumps(value, sort_keys=True, separators=(",", ":"))</c> gives each of <paramref name="values"/>, as synapse-p2p hashes an artifact.</summary>
    public static async Task<IReadOnlyList<(long Size, string Sha256)>> JsonDigestsAsync(byte[] encodedArray)
    {
        var (exit, stdout, stderr) = await RunAsync(["json-digest", Convert.ToHexString(encodedArray)]);
        Assert.True(exit == 0, $"python peer failed ({exit}): {stderr}");
        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).Select(parts => (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]))];
    }

    /// <summary>What synapse-p2p's default summariser writes for the encoded array of conversation events.</summary>
    public static async Task<string> SummarizeAsync(byte[] encodedEvents)
    {
        var (exit, stdout, stderr) = await RunAsync(["summarize", Convert.ToHexString(encodedEvents)]);
        Assert.True(exit == 0, $"python peer failed ({exit}): {stderr}");
        return JsonDocument.Parse(stdout).RootElement.GetString()!;
    }

    /// <summary>Starts a synapse-p2p style node; dispose to stop it.</summary>
    public static async Task<Node> StartNodeAsync()
    {
        var process = Process.Start(Start(["serve"])) ?? throw new InvalidOperationException("python did not start");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
        {
            var error = await process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException($"python node did not start: {error}");
        }

        return new Node(process, int.Parse(line[5..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static ProcessStartInfo Start(IEnumerable<string> args)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run the README's test command, which installs python3-msgpack");
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args)
    {
        using var process = Process.Start(Start(args)) ?? throw new InvalidOperationException("python did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    public sealed class Node(Process process, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public async ValueTask DisposeAsync()
        {
            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                process.Kill();
            }

            process.Dispose();
        }
    }
}
