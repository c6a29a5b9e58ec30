namespace Synapse.Benchmarks;

/// <summary>
/// Cases measured in two rounds, the second in reverse order, so that neither warm-up nor a slowing machine favours one
/// case: each row is operations per second and the process's allocations per operation.
/// </summary>
internal static class AlternatingRounds
{
    /// <summary>Prints the table's header, then a row per case and round.</summary>
    public static async Task RunAsync(IReadOnlyList<(string Name, Func<Task<(long Count, double Seconds)>> Run)> cases, int nameWidth = 44)
    {
        Console.WriteLine($"{"case".PadRight(nameWidth)} {"per second",12} {"bytes each",11}");
        for (var round = 1; round <= 2; round++)
        {
            foreach (var (name, run) in round == 1 ? cases : cases.Reverse())
            {
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var (count, seconds) = await run();
                var bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count;
                Console.WriteLine($"{$"{name} (round {round})".PadRight(nameWidth)} {count / seconds,12:N0} {bytes,11:N0}");
            }
        }
    }
}
