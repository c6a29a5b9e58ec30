using System.Text.Json;
using Synapse.Artifacts;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse artifacts</c> against our host and a synapse-p2p node.</summary>
public sealed class ArtifactsCommandTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(options =>
    {
        options.Artifacts.Add(ServedArtifact.FromText("notes", "# Notes\nkeep them short", "text/markdown", description: "Team notes"));
        options.Artifacts.Add(ServedArtifact.FromBytes("logo", new byte[] { 0x89, 0x50, 0x4e, 0x47 }, "image/png"));
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Without_a_name_it_lists_each_artifact_on_a_line()
    {
        var result = await Cli.RunAsync("artifacts", _node.Address);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("agent-card  application/vnd.synapse.agent-card+json  json  ", lines[0]);
        Assert.Equal($"notes  text/markdown  text  23 bytes  sha256 {ServedArtifact.FromText("notes", "# Notes\nkeep them short").Sha256}  Team notes", lines[1]);
        Assert.StartsWith("logo  image/png  base64  4 bytes  sha256 ", lines[2]);
    }

    [Fact]
    public async Task With_a_name_it_prints_the_checked_artifact_or_its_content()
    {
        var card = await Cli.RunAsync("artifacts", _node.Address, "agent-card");
        var notes = await Cli.RunAsync("artifacts", _node.Address, "notes", "--content");

        Assert.Equal(0, card.ExitCode);
        Assert.Equal(_node.Host.Identity.Id.ToString(), JsonDocument.Parse(card.Stdout).RootElement.GetProperty("content").GetProperty("agent_id").GetString());
        Assert.Equal("# Notes\nkeep them short\n", notes.Stdout);
    }

    [Fact]
    public async Task Out_writes_the_bytes_the_digest_is_over()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "logo.png");

        var result = await Cli.RunAsync("artifacts", _node.Address, "logo", "--out", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4e, 0x47 }, await File.ReadAllBytesAsync(file));
        Assert.Equal($"synapse: wrote 4 bytes of 'logo' (image/png) to {file}\n", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_name_is_named_in_the_error()
    {
        var result = await Cli.RunAsync("artifacts", _node.Address, "nope");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("synapse: '_synapse.artifact.get' failed: bad_request: unknown artifact: nope\n", result.Stderr);
    }

    [Fact]
    public async Task A_python_nodes_artifacts_are_read_and_checked_and_a_tampered_one_is_refused()
    {
        await using var python = await PythonPeer.StartNodeAsync();
        var address = $"127.0.0.1:{python.Port}";

        var listed = await Cli.RunAsync("artifacts", address);
        var card = await Cli.RunAsync("artifacts", address, "agent-card", "--content");
        var tampered = await Cli.RunAsync("artifacts", address, "tampered");

        Assert.Contains("agent-card  application/vnd.synapse.agent-card+json  json  50 bytes  sha256 dff355dc1bfeebbd133f25b00a8c169d25c9afef8d3f45076f0140668bed3920", listed.Stdout);
        Assert.Equal(0, card.ExitCode);
        Assert.Equal("code-review", JsonDocument.Parse(card.Stdout).RootElement.GetProperty("capabilities")[0].GetString());
        Assert.Equal(ExitCodes.Failure, tampered.ExitCode);
        Assert.StartsWith($"synapse: artifact 'tampered' from {address} does not match its size and sha256", tampered.Stderr);
    }
}
