using System.Diagnostics;
using System.Security.Cryptography;

namespace Synapse.Tests.Discovery.Lan;

/// <summary>
/// Live mDNS between two processes (tests/Synapse.Lan.Probe), only ever inside a network namespace this test
/// creates with loopback as its one multicast interface: nothing reaches a real network. Needs root and iproute2
/// (./test.sh runs as root and installs iproute2); without them the test fails saying so.
/// </summary>
public class LanLiveTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_browser_finds_an_announcer_inside_a_private_network_namespace()
    {
        Assert.True(OperatingSystem.IsLinux(), "the live LAN discovery test needs Linux network namespaces");
        Assert.True(Environment.IsPrivilegedProcess, "the live LAN discovery test must run as root to create a network namespace (./test.sh runs as root)");
        Assert.True(await RunAsync("ip", "-V") == 0, "the live LAN discovery test needs `ip` from iproute2 (./test.sh installs it)");

        string ns = "synapse-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Assert.Equal(0, await RunAsync("ip", "netns", "add", ns));
        Process? announcer = null;
        Process? browser = null;
        try
        {
            Assert.Equal(0, await RunAsync("ip", "-n", ns, "link", "set", "lo", "up", "multicast", "on"));
            Assert.Equal(0, await RunAsync("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "lo"));

            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            announcer = StartProbe(ns, "announce", id, "live agent", "4242", "sum,mul");
            using var timeout = new CancellationTokenSource(Patience);
            Assert.Equal("announcing", await announcer.StandardOutput.ReadLineAsync(timeout.Token));

            browser = StartProbe(ns, "browse", "30");
            string output = await browser.StandardOutput.ReadToEndAsync(timeout.Token);
            await browser.WaitForExitAsync(timeout.Token);
            string errors = await browser.StandardError.ReadToEndAsync(timeout.Token);
            Assert.True(browser.ExitCode == 0, $"browser exited {browser.ExitCode}: {output} {errors}");
            Assert.Contains($"found id={id} name=live agent port=4242 capabilities=sum,mul address=127.0.0.1", output, StringComparison.Ordinal);

            announcer.StandardInput.Close();
            await announcer.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, announcer.ExitCode);
        }
        finally
        {
            Kill(announcer);
            Kill(browser);
            await RunAsync("ip", "netns", "delete", ns);
        }

        Assert.NotEqual(0, await RunAsync("ip", "netns", "exec", ns, "true")); // the namespace is gone
    }

    private static Process StartProbe(string ns, params string[] args)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var program = RepositoryRoot.Path("tests", "Synapse.Lan.Probe", "bin", configuration, "net10.0", "Synapse.Lan.Probe.dll");
        Assert.True(File.Exists(program), $"{program} is missing: build Synapse.sln");
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "netns", "exec", ns, "dotnet", "exec", program }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("the probe did not start");
    }

    private static async Task<int> RunAsync(string file, params string[] args)
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

    private static void Kill(Process? process)
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
}
