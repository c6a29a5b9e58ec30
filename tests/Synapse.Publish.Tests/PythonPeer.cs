using System.Text.Json;

namespace Synapse.Publish.Tests;

/// <summary>Calls a node as synapse-p2p's Python <c>Client.call</c> does (tests/interop/synapse_p2p_peer.py, system Python).</summary>
internal static class PythonPeer
{
    /// <summary>One call; the decoded response as <c>{"ok", "result", "error"}</c>.</summary>
    public static async Task<JsonElement> CallAsync(int port, string endpoint, string argsJson)
    {
        var script = Path.Combine(DotNet.RepositoryRoot, "tests", "interop", "synapse_p2p_peer.py");
        var (exit, output) = await DotNet.ExecAsync("/usr/bin/python3", DotNet.RepositoryRoot, script, "call", port.ToString(System.Globalization.CultureInfo.InvariantCulture), endpoint, argsJson, "{}");
        Assert.True(exit == 0, $"python peer failed ({exit}; the README's test command installs python3-msgpack): {output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
