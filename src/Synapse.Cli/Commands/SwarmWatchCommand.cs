using System.CommandLine;
using Synapse.Cli.Swarm;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse swarm watch SEED</c>: joins the swarm and shows its peers, heartbeats and conversations as they change,
/// as a table redrawn in place on a terminal, or one line per change (text, or JSON with <c>--json</c>) otherwise;
/// runs until <c>--seconds</c> pass or Ctrl+C, then exits 0.
/// </summary>
internal static class SwarmWatchCommand
{
    public static Command Create(CliConsole console)
    {
        var member = new SwarmMemberOptions();
        var interval = new Option<double>("--interval") { Description = "Seconds between redraws of the table on a terminal", HelpName = "SECONDS", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: until Ctrl+C)", HelpName = "SECONDS" };
        var heartbeats = new Option<bool>("--show-heartbeats") { Description = "Also report every heartbeat that arrives" };
        var json = new Option<bool>("--json") { Description = "Print one line of JSON per change instead of the table" };
        var command = new Command("watch", "Show a swarm's peers, heartbeats and conversations as they change, until Ctrl+C");
        member.AddTo(command);
        command.Options.Add(interval);
        command.Options.Add(seconds);
        command.Options.Add(heartbeats);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = member.Read(parse);
            var redraw = Seconds.Read(parse, interval);
            var duration = parse.GetValue(seconds) is { } limit ? Seconds.Check(limit, seconds.Name) : Timeout.InfiniteTimeSpan;
            var asJson = parse.GetValue(json);
            await using var joined = await SwarmMember.JoinAsync(settings, cancellationToken).ConfigureAwait(false);
            using var feed = new SwarmWatchFeed(joined.Node, parse.GetValue(heartbeats));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stop.CancelAfter(duration);
            if (console.OutIsTerminal && !asJson)
            {
                await DrawAsync(new SwarmWatchTable(joined), feed, redraw, console, stop.Token).ConfigureAwait(false);
            }
            else
            {
                await PrintAsync(joined, feed, asJson, console, stop.Token).ConfigureAwait(false);
            }

            // Ctrl+C is how a watch is meant to end: not a failure.
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task PrintAsync(SwarmMember joined, SwarmWatchFeed feed, bool json, CliConsole console, CancellationToken stop)
    {
        await console.WriteLineNowAsync(SwarmWatchLines.Joined(joined, json)).ConfigureAwait(false);
        try
        {
            await foreach (var change in feed.Events.ReadAllAsync(stop).ConfigureAwait(false))
            {
                await console.WriteLineNowAsync(SwarmWatchLines.Line(change, json)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task DrawAsync(SwarmWatchTable table, SwarmWatchFeed feed, TimeSpan redraw, CliConsole console, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(redraw);
        do
        {
            while (feed.Events.TryRead(out var change))
            {
                table.Add(change);
            }

            await console.Out.WriteAsync(table.Frame(TerminalWidth())).ConfigureAwait(false);
            await console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        while (await Tick(timer, stop).ConfigureAwait(false));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
