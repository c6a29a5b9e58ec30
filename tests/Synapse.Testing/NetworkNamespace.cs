using System.Diagnostics;
using System.Security.Cryptography;

namespace Synapse.Testing;

/// <summary>
/// A network namespace of the test's own with loopback as its one multicast interface, for live mDNS between
/// processes: nothing reaches a real network. Needs Linux, root and iproute2 (./test.sh runs as root and installs
/// iproute2); without them the test fails saying so. Disposing it deletes the namespace.
/// </summary>
internal sealed class NetworkNamespace : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name, <c>synapse-test-</c> and 8 random hex digits.</summary>
    public string Name { get; }

    /// <summary>Creates the namespace, brings its loopback up with multicast on and routes multicast through it.</summary>
    public static async Task<NetworkNamespace> CreateAsync()
    {
        Assert.True(OperatingSystem.IsLinux(), "live LAN discovery tests need Linux network namespaces");
        Assert.True(Environment.IsPrivilegedProcess, "live LAN discovery tests must run as root to create a network namespace (./test.sh runs as root)");
        Assert.True(await RunAsync("ip", "-V") == 0, "live LAN discovery tests need `ip` from iproute2 (./test.sh installs it)");
        var created = new NetworkNamespace("synapse-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        Assert.Equal(0, await RunAsync("ip", "netns", "add", created.Name));
        try
        {
            Assert.Equal(0, await RunAsync("ip", "-n", created.Name, "link", "set", "lo", "up", "multicast", "on"));
            Assert.Equal(0, await RunAsync("ip", "-n", created.Name, "route", "add", "224.0.0.0/4", "dev", "lo"));
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }

        return created;
    }

    /// <summary>Starts <c>dotnet exec <paramref name="assembly"/> <paramref name="args"/></c> inside the namespace, its standard streams redirected.</summary>
    public Process Start(string assembly, params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "netns", "exec", Name, "dotnet", "exec", assembly }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException($"{assembly} did not start");
    }

    /// <summary>Whether the namespace still exists.</summary>
    public async Task<bool> ExistsAsync() => await RunAsync("ip", "netns", "exec", Name, "true") == 0;

    public async ValueTask DisposeAsync() => await RunAsync("ip", "netns", "delete", Name);

    /// <summary>Kills <paramref name="process"/> and its children if it still runs, and disposes it.</summary>
    public static void Kill(Process? process)
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    /// <summary>Runs a program to its end; its exit code, or -1 when it is not installed.</summary>
    public static async Task<int> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            using var timeout = new CancellationTokenSource(Patience);
            await Task.WhenAll(process.StandardOutput.ReadToEndAsync(timeout.Token), process.StandardError.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1; // not installed
        }
    }
}
