using BenchmarkDotNet.Running;
using Synapse.Benchmarks;

// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- harness [SECONDS]          (RPC, then secure links)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- secure-harness [SECONDS]   (secure links only)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- --filter '*'      (BenchmarkDotNet)
if (args is ["secure-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
    await SecurityHarness.RunAsync(TimeSpan.FromSeconds(seconds));
    return;
}

if (args is ["harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    await LoopbackHarness.RunAsync(TimeSpan.FromSeconds(seconds));
    await SecurityHarness.RunAsync(TimeSpan.FromSeconds(Math.Max(1, seconds / 2)));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(CodecBenchmarks).Assembly).Run(args);
