using System.Security.Cryptography;

namespace Synapse.Tests.Discovery.Lan;

/// <summary>
/// Live mDNS between two processes (tests/Synapse.Lan.Probe), only ever inside a network namespace this test
/// creates with loopback as its one multicast interface (<see cref="NetworkNamespace"/>): nothing reaches a real
/// network. Needs root and iproute2 (./test.sh runs as root and installs iproute2); without them the test fails saying so.
/// </summary>
public class LanLiveTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_browser_finds_an_announcer_inside_a_private_network_namespace()
    {
        var probe = RepositoryRoot.BuiltAssembly("tests/Synapse.Lan.Probe", "Synapse.Lan.Probe");
        var ns = await NetworkNamespace.CreateAsync();
        System.Diagnostics.Process? announcer = null;
        System.Diagnostics.Process? browser = null;
        await using (ns)
        {
            try
            {
                string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                announcer = ns.Start(probe, "announce", id, "live agent", "4242", "sum,mul");
                using var timeout = new CancellationTokenSource(Patience);
                Assert.Equal("announcing", await announcer.StandardOutput.ReadLineAsync(timeout.Token));

                browser = ns.Start(probe, "browse", "30");
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
                NetworkNamespace.Kill(announcer);
                NetworkNamespace.Kill(browser);
            }
        }

        Assert.False(await ns.ExistsAsync()); // the namespace is gone
    }
}
