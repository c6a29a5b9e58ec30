using System.Diagnostics;
using Synapse.Client;

namespace Synapse.Publish.Tests;

public sealed class TrimmedPublishTests
{
    [Fact]
    public async Task Trimmed_self_contained_agent_publishes_without_IL_warnings_and_serves_calls()
    {
        using var output = new TempDirectory();
        var project = Path.Combine(DotNet.RepositoryRoot, "samples", "TrimmedAgent", "TrimmedAgent.csproj");

        var (exit, log) = await DotNet.RunAsync(DotNet.RepositoryRoot, "publish", project, "-c", "Release", "-r", "linux-x64", "-o", output.Path, "-p:TreatWarningsAsErrors=true");

        Assert.True(exit == 0, log);
        Assert.DoesNotMatch(@"warning IL\d{4}", log);
        var binary = Path.Combine(output.Path, "TrimmedAgent");
        Assert.True(File.Exists(binary), $"no binary at {binary}");

        var (selftestExit, selftest) = await DotNet.ExecAsync(binary, output.Path, "selftest");
        Assert.True(selftestExit == 0, selftest);
        Assert.Contains("selftest passed", selftest);
        if (Environment.GetEnvironmentVariable("SYNAPSE_RABBITMQ_URI") is not null)
        {
            Assert.Contains("backplane selftest passed", selftest); // test.sh starts the broker
        }

        await CallServingBinaryAsync(binary);
    }

    private static async Task CallServingBinaryAsync(string binary)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("PORT ", line);
            await using var client = new SynapseClient("127.0.0.1", int.Parse(line![5..], System.Globalization.CultureInfo.InvariantCulture));

            var methods = await client.CallAsync("_synapse.methods");
            var tools = await client.CallAsync("list", ["Tool"]);

            Assert.Equal(["add", "list"], methods.AsArray().Select(m => m["name"]!.AsString()));
            Assert.Empty(tools.AsArray());
            Assert.Equal(ConnectionMode.Multiplexed, client.NegotiatedMode);
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
            }
        }

        Assert.Equal(0, process.ExitCode);
    }
}
