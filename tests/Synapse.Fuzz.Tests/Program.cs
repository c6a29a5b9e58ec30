using Synapse.Fuzz.Tests.Engine;
using Synapse.Fuzz.Tests.Targets;

namespace Synapse.Fuzz.Tests;

/// <summary>
/// Long runs: <c>dotnet run -c Release --project tests/Synapse.Fuzz.Tests -- TARGET|all [--seconds N] [--seed S]
/// [--findings DIR] [--hang-ms M]</c>. Prints inputs per second and findings; writes each finding's input to DIR.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: TARGET|all [--seconds N] [--seed S] [--findings DIR] [--hang-ms M]");
            Console.WriteLine("targets: " + string.Join(", ", AllTargets.Create().Select(t => t.Name)));
            return args.Length == 0 ? 2 : 0;
        }

        var seconds = 60.0;
        var seed = 1;
        var findings = "fuzz-findings";
        var hangMs = 2000;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--findings": findings = args[i + 1]; break;
                case "--hang-ms": hangMs = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        var targets = AllTargets.Create().Where(t => args[0] == "all" || t.Name == args[0]).ToList();
        if (targets.Count == 0)
        {
            Console.Error.WriteLine($"no target named {args[0]}");
            return 2;
        }

        var found = 0;
        foreach (var target in targets)
        {
            var options = new FuzzOptions
            {
                Seed = seed,
                Duration = TimeSpan.FromSeconds(seconds),
                HangBudget = TimeSpan.FromMilliseconds(hangMs),
                Progress = n => Console.WriteLine($"  {target.Name}: {n} inputs"),
            };
            var result = new FuzzRunner(target, options).Run();
            Console.WriteLine(result);
            foreach (var (finding, index) in result.Findings.Select((f, k) => (f, k)))
            {
                Console.WriteLine(finding);
                var folder = Path.Combine(findings, target.Name);
                Directory.CreateDirectory(folder);
                File.WriteAllBytes(Path.Combine(folder, $"{finding.Kind}-{seed}-{index}.bin"), finding.Input);
                File.WriteAllText(Path.Combine(folder, $"{finding.Kind}-{seed}-{index}.txt"), finding.ToString());
            }

            found += result.Findings.Count;
        }

        return found == 0 ? 0 : 1;
    }
}
