using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Synapse.Testing;

/// <summary>Runs tests/interop/synapse_p2p_swarm.py: a synapse-p2p v2 swarm node written from the spec, driven over stdin.</summary>
internal sealed class PythonSwarmNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _commands = new(1, 1);

    private PythonSwarmNode(Process process, int port, string id)
    {
        _process = process;
        Port = port;
        Id = id;
    }

    public int Port { get; }

    public string Id { get; }

    /// <summary>Starts a node of <paramref name="swarm"/>, joining the seed at 127.0.0.1:<paramref name="seedPort"/> when given.</summary>
    public static async Task<PythonSwarmNode> StartAsync(string swarm, int? seedPort, double interval, double timeout)
    {
        Assert.True(File.Exists(PythonPeer.Python), $"{PythonPeer.Python} is missing: run the README's test command, which installs python3-msgpack");
        var info = new ProcessStartInfo(PythonPeer.Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { RepositoryRoot.Path("tests", "interop", "synapse_p2p_swarm.py"), "node", swarm, (seedPort ?? 0).ToString(CultureInfo.InvariantCulture), interval.ToString(CultureInfo.InvariantCulture), timeout.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("python did not start");
        var port = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var id = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (port is null || !port.StartsWith("PORT ", StringComparison.Ordinal) || id is null || !id.StartsWith("ID ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"python swarm node did not start: {await process.StandardError.ReadToEndAsync()}");
        }

        return new PythonSwarmNode(process, int.Parse(port[5..], CultureInfo.InvariantCulture), id[3..]);
    }

    /// <summary>Sends one command line and returns its JSON answer.</summary>
    public async Task<JsonElement> CommandAsync(string line)
    {
        await _commands.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
            var answer = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"python swarm node exited: {await _process.StandardError.ReadToEndAsync()}");
            return JsonDocument.Parse(answer).RootElement.Clone();
        }
        finally
        {
            _commands.Release();
        }
    }

    /// <summary>The ids in the node's peer table.</summary>
    public async Task<string[]> PeerIdsAsync() =>
        [.. (await CommandAsync("peers")).EnumerateArray().Select(p => p.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>The node's record of <paramref name="id"/>'s last_seen, or null.</summary>
    public async Task<double?> LastSeenAsync(string id) =>
        (await CommandAsync("peers")).EnumerateArray().Where(p => p.GetProperty("id").GetString() == id).Select(p => (double?)p.GetProperty("last_seen").GetDouble()).FirstOrDefault();

    /// <summary>Kills the node with SIGKILL: it says nothing more to anyone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process.HasExited)
        {
            _process.Dispose();
            _commands.Dispose();
            return;
        }

        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _process.Kill();
        }

        _process.Dispose();
        _commands.Dispose();
    }
}
