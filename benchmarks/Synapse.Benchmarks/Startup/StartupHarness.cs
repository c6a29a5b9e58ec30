using System.Diagnostics;
using System.Globalization;
using Synapse.Client;

namespace Synapse.Benchmarks.Startup;

/// <summary>
/// Publishes samples/TrimmedAgent twice, as Native AOT and as the trimmed self-contained (JIT) fallback, then for
/// each reports what ships (the executable and the whole folder without symbols and XML docs) and the time from
/// starting the process to the first answered call (<c>_synapse.ping</c> over a secure, multiplexed connection).
/// Runs alternate between the two binaries so that both see the same machine state.
/// </summary>
internal static class StartupHarness
{
    public static async Task RunAsync(int runs)
    {
        var root = FindRoot();
        var work = Directory.CreateTempSubdirectory("synapse-startup-");
        try
        {
            var project = Path.Combine(root, "samples", "TrimmedAgent");
            var native = Path.Combine(work.FullName, "native");
            var trimmed = Path.Combine(work.FullName, "trimmed");
            await PublishAsync(root, project, native, "-p:PublishAot=true");
            await PublishAsync(root, project, trimmed, "--self-contained", "-p:PublishTrimmed=true");

            var binaries = new (string Name, string Path, List<double> Times)[]
            {
                ("Native AOT", Path.Combine(native, "TrimmedAgent"), []),
                ("trimmed, self-contained (JIT)", Path.Combine(trimmed, "TrimmedAgent"), []),
            };

            foreach (var (_, path, _) in binaries)
            {
                await TimeToFirstCallAsync(path); // warm-up: the file cache holds both binaries for every measured run
            }

            for (var run = 0; run < runs; run++)
            {
                foreach (var (_, path, times) in binaries)
                {
                    times.Add(await TimeToFirstCallAsync(path));
                }
            }

            Console.WriteLine($"Start to first answered call, {runs} runs each, median (min–max):");
            foreach (var (name, path, times) in binaries)
            {
                times.Sort();
                var shipped = Directory.EnumerateFiles(Path.GetDirectoryName(path)!)
                    .Where(f => Path.GetExtension(f) is not (".pdb" or ".dbg" or ".xml"))
                    .Sum(f => new FileInfo(f).Length);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-30} executable {Mib(new FileInfo(path).Length),6:F1} MiB, folder {Mib(shipped),6:F1} MiB, " +
                    $"start to first call {Median(times),6:F1} ms ({times[0]:F1}–{times[^1]:F1})"));
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<double> TimeToFirstCallAsync(string binary)
    {
        var clock = Stopwatch.StartNew();
        var info = new ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{binary} did not start");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"{binary} ended before it listened");
            var port = int.Parse(line["PORT ".Length..], CultureInfo.InvariantCulture);
            await using var client = new SynapseClient("127.0.0.1", port);
            var pong = await client.PingAsync();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            return pong == "pong" ? elapsed : throw new InvalidOperationException($"{binary} answered {pong}");
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
            }
        }
    }

    private static async Task PublishAsync(string root, string project, string output, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", .. extra])
        {
            info.ArgumentList.Add(arg);
        }

        Console.WriteLine($"dotnet publish samples/TrimmedAgent -c Release -r linux-x64 {string.Join(' ', extra)}");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"publish failed:\n{await log}{await errors}");
        }
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Synapse.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Synapse.sln above {AppContext.BaseDirectory}.");
    }
}
