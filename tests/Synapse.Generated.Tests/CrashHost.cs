using System.Diagnostics;
using System.Globalization;

namespace Synapse.Generated.Tests;

/// <summary>Starts tests/Synapse.CrashHost, a host the crash tests kill with SIGKILL and start again on the same files.</summary>
internal static class CrashHost
{
    /// <summary>Starts it in <paramref name="mode"/> (<c>tasks</c> or <c>swarm</c>) and waits until it listens.</summary>
    public static async Task<Process> StartAsync(string mode, string directory, int port, CancellationToken cancellationToken)
    {
        var program = RepositoryRoot.BuiltAssembly("tests/Synapse.CrashHost", "Synapse.CrashHost");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", program, mode, directory, port.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("the crash host did not start");
        var line = await process.StandardOutput.ReadLineAsync(cancellationToken);
        if (line != $"listening {port}")
        {
            process.Kill();
            Assert.Fail($"the crash host said '{line}': {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        return process;
    }
}
