using System.Text.Json;
using Synapse.Tasks;

namespace Synapse.Cli.Tests;

/// <summary><c>synapse task start|get|cancel|answer|watch</c> against a real host serving tasks.</summary>
public sealed class TaskCommandTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(options => options.Tasks = new AgentTaskOptions());

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Start_prints_the_task_and_watch_prints_each_update_then_the_result()
    {
        var started = await Cli.RunAsync("task", "start", _node.Address, "count", "3");
        Assert.Equal(0, started.ExitCode);
        var task = JsonDocument.Parse(started.Stdout).RootElement;
        Assert.Equal("count", task.GetProperty("endpoint").GetString());
        var id = task.GetProperty("id").GetString()!;

        var watched = await Cli.RunAsync("task", "watch", _node.Address, id);

        Assert.Equal(0, watched.ExitCode);
        Assert.Equal(
            ["#1 submitted", "#2 working", "#3 working progress 1", "#4 working progress 2", "#5 working progress 3", "#6 completed result \"counted to 3\""],
            watched.Stdout.TrimEnd('\n').Split('\n'));
        var got = await Cli.RunAsync("task", "get", _node.Address, id);
        Assert.Equal("completed", JsonDocument.Parse(got.Stdout).RootElement.GetProperty("state").GetString());
        Assert.Equal("counted to 3", JsonDocument.Parse(got.Stdout).RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Watch_from_a_sequence_number_prints_only_what_came_after_as_json_lines()
    {
        var id = await StartQuietAsync("count", "2");
        await Cli.RunAsync("task", "watch", _node.Address, id);

        var watched = await Cli.RunAsync("task", "watch", _node.Address, id, "--after", "4", "--json");

        Assert.Equal(0, watched.ExitCode);
        var update = JsonDocument.Parse(Assert.Single(watched.Stdout.TrimEnd('\n').Split('\n'))).RootElement;
        Assert.Equal(5, update.GetProperty("seq").GetInt64());
        Assert.Equal("completed", update.GetProperty("state").GetString());
        Assert.Equal("counted to 2", update.GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_task_that_asks_is_answered_from_the_command_line()
    {
        var id = await StartQuietAsync("greet-asking");
        await Synapse.Testing.Poll.UntilAsync(() => Cli.RunAsync("task", "get", _node.Address, id), r => r.Stdout.Contains("\"input-required\""), TimeSpan.FromSeconds(30));

        var answered = await Cli.RunAsync("task", "answer", _node.Address, id, "ann");
        var watched = await Cli.RunAsync("task", "watch", _node.Address, id);

        Assert.Equal(0, answered.ExitCode);
        Assert.Contains("#3 input-required asks: who are you?", watched.Stdout);
        Assert.EndsWith("completed result \"hello ann\"\n", watched.Stdout);
    }

    [Fact]
    public async Task A_cancelled_task_makes_watch_exit_1_naming_why()
    {
        var id = await StartQuietAsync("slow", "60");

        var cancelled = await Cli.RunAsync("task", "cancel", _node.Address, id);
        var watched = await Cli.RunAsync("task", "watch", _node.Address, id);

        Assert.Equal(0, cancelled.ExitCode);
        Assert.Equal(ExitCodes.Failure, watched.ExitCode);
        Assert.EndsWith("canceled cancelled: call cancelled\n", watched.Stdout);
    }

    [Fact]
    public async Task An_unknown_task_is_a_failure_that_names_it()
    {
        var result = await Cli.RunAsync("task", "get", _node.Address, "nope");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("synapse: '_synapse.task.get' failed: bad_request: _synapse.task.get: no task 'nope' on this node (it expired, or was never started here)\n", result.Stderr);
    }

    [Fact]
    public async Task A_node_without_tasks_is_named_in_the_error()
    {
        await using var plain = await TestNode.StartAsync();

        var result = await Cli.RunAsync("task", "start", plain.Address, "count", "1");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("Unregistered endpoint called: _synapse.task.start", result.Stderr);
    }

    private async Task<string> StartQuietAsync(params string[] endpointAndArgs)
    {
        var started = await Cli.RunAsync(["task", "start", _node.Address, .. endpointAndArgs, "--quiet"]);
        Assert.Equal(0, started.ExitCode);
        return started.Stdout.Trim();
    }
}
