using System.Diagnostics;
using Synapse.Discovery;
using Synapse.Identity;

namespace Synapse.Benchmarks.Discovery;

/// <summary>
/// Queries per second on a relay's directory holding 10,000 signed cards (100 capabilities, 10 roles), with the
/// cost of publishing (verifying) the cards measured in the same run as a reference.
/// </summary>
internal static class DirectoryHarness
{
    private const int Cards = 10_000;

    public static void Run(TimeSpan duration)
    {
        var now = DateTimeOffset.UtcNow;
        var cards = new List<AgentCard>(Cards);
        for (var i = 0; i < Cards; i++)
        {
            using var identity = AgentIdentity.Generate();
            AgentCapability[] capabilities = [new($"skill-{i % 100}", $"does task {i % 100}", "{}", "{}"), new("common", "every agent has it", "{}", "{}")];
            cards.Add(AgentCard.Sign(identity, $"agent-{i}", $"role-{i % 10}", $"agent number {i}, good at skill {i % 100}", capabilities, [], null, now, now.AddHours(1)));
        }

        var directory = new AgentDirectory(new AgentDirectoryOptions { MaxCards = Cards });
        var started = Stopwatch.GetTimestamp();
        foreach (var card in cards)
        {
            directory.Publish(card);
        }

        var publishRate = Cards / Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"directory with {Cards:N0} cards, {duration.TotalSeconds:0} s per query kind");
        Console.WriteLine($"{"operation",-58} {"per second",12}");
        Print("publish a card (decode + verify signature + store)", publishRate);
        Print("query by capability (100 matches, first page of 20)", Rate(new AgentQuery { Capability = "skill-42" }, directory, duration));
        Print("query by role (1,000 matches, first page of 20)", Rate(new AgentQuery { Role = "role-7" }, directory, duration));
        Print("query by text (substring over names and descriptions)", Rate(new AgentQuery { Text = "skill 42" }, directory, duration));
        Print("query matching every card, page of 100", Rate(new AgentQuery { Capability = "common", PageSize = 100 }, directory, duration));
    }

    private static double Rate(AgentQuery query, AgentDirectory directory, TimeSpan duration)
    {
        directory.Query(query);
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var n = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            directory.Query(query);
            n++;
        }

        return n / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static void Print(string name, double perSecond) => Console.WriteLine($"{name,-58} {perSecond,12:N0}");
}
