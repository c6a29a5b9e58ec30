using BenchmarkDotNet.Running;
using Synapse.Benchmarks;

// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- harness [SECONDS]          (RPC, then secure links)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- secure-harness [SECONDS]   (secure links only)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- relay-harness [SECONDS] [IDLE_AGENTS]
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- directory-harness [SECONDS]  (directory queries, 10,000 cards)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- backplane-harness [SECONDS] [AMQP_URI]  (relays on RabbitMQ)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- graph-harness [SECONDS]    (decision graph appends)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- crypto-harness [SECONDS]   (Ed25519, X25519: old OpenSSL binding vs NSec; handshakes, seal/open)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- startup-harness [RUNS]     (Native AOT vs trimmed JIT: size, start to first call)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- swarm-harness [SECONDS]    (gossip stored: signed, SQLite)
// dotnet run -c Release --project benchmarks/Synapse.Benchmarks -- --filter '*'      (BenchmarkDotNet)
if (args is ["startup-harness", ..])
{
    await Synapse.Benchmarks.Startup.StartupHarness.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return;
}

if (args is ["crypto-harness", ..])
{
    Synapse.Benchmarks.Crypto.CryptoHarness.Run(TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2));
    return;
}

if (args is ["directory-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
    Synapse.Benchmarks.Discovery.DirectoryHarness.Run(TimeSpan.FromSeconds(seconds));
    return;
}

if (args is ["backplane-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    var broker = new Uri(args.Length > 2 ? args[2] : Environment.GetEnvironmentVariable("SYNAPSE_RABBITMQ_URI") ?? "amqp://guest:guest@127.0.0.1:5672/");
    await Synapse.Benchmarks.Relay.BackplaneHarness.RunAsync(TimeSpan.FromSeconds(seconds), broker);
    return;
}

if (args is ["graph-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    Synapse.Benchmarks.Graph.GraphHarness.Run(TimeSpan.FromSeconds(seconds));
    return;
}

if (args is ["relay-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
    var agents = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5000;
    await Synapse.Benchmarks.Relay.RelayHarness.RunAsync(TimeSpan.FromSeconds(seconds), agents);
    return;
}

if (args is ["relay-once", var receivers, var size, var once])
{
    // One relay scenario alone (for profiling): receivers, payload bytes, seconds.
    var (rate, _) = await Synapse.Benchmarks.Relay.RelayThroughput.MeasureAsync(int.Parse(receivers), int.Parse(size), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(double.Parse(once, System.Globalization.CultureInfo.InvariantCulture)));
    Console.WriteLine($"relay msgs/s: {rate:N0}");
    return;
}

if (args is ["relay-serve"])
{
    await Synapse.Benchmarks.Relay.IdleMemory.ServeAsync();
    return;
}

if (args is ["secure-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
    await SecurityHarness.RunAsync(TimeSpan.FromSeconds(seconds));
    return;
}

if (args is ["tracing-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    await TracingHarness.RunAsync(TimeSpan.FromSeconds(seconds));
    return;
}

if (args is ["swarm-harness", ..])
{
    await SwarmHarness.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5));
    return;
}

if (args is ["task-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    await TaskHarness.RunAsync(TimeSpan.FromSeconds(seconds));
    return;
}

if (args is ["stream-harness", ..])
{
    var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    await StreamHarness.RunAsync(TimeSpan.FromSeconds(seconds));
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
