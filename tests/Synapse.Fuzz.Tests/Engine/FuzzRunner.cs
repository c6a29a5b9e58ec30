using System.Diagnostics;

namespace Synapse.Fuzz.Tests.Engine;

/// <summary>
/// Runs one target: every seed, then mutated inputs until the budget is spent. Inputs run on a worker thread that a
/// watchdog on the calling thread checks; each input's allocation is measured against the target's bound.
/// </summary>
public sealed class FuzzRunner(FuzzTarget target, FuzzOptions options)
{
    private readonly List<Finding> _findings = [];
    private readonly HashSet<string> _seen = [];
    private byte[] _current = [];
    private long _startedAt;
    private volatile bool _stop;
    private long _inputs;
    private long _decoded;
    private double _maxRatio;

    /// <summary>Runs the target and returns what it found.</summary>
    public FuzzResult Run()
    {
        var clock = Stopwatch.StartNew();
        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                Loop(clock);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = $"fuzz {target.Name}" };
        worker.Start();
        var lastProgress = TimeSpan.Zero;
        while (!worker.Join(50))
        {
            var started = Interlocked.Read(ref _startedAt);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > options.HangBudget)
            {
                _stop = true;
                Record(FindingKind.Hang, Volatile.Read(ref _current), "watchdog", $"still running after {options.HangBudget.TotalSeconds:F1} s (abandoned)");
                break;
            }

            if (options.Progress is { } progress && clock.Elapsed - lastProgress > TimeSpan.FromSeconds(10))
            {
                lastProgress = clock.Elapsed;
                progress(Interlocked.Read(ref _inputs));
            }
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"fuzz target {target.Name} failed outside an input", failure);
        }

        lock (_findings)
        {
            return new FuzzResult(target.Name, Interlocked.Read(ref _inputs), Interlocked.Read(ref _decoded), clock.Elapsed, _maxRatio, [.. _findings]);
        }
    }

    private void Loop(Stopwatch clock)
    {
        target.Prepare();
        var corpus = new List<byte[]>();
        foreach (var seed in target.Seeds())
        {
            if (!RunOne(seed))
            {
                Record(FindingKind.Crash, seed, "seed", "a seed from our own writer does not decode");
            }

            corpus.Add(seed);
        }

        var mutator = new Mutator(new Random(options.Seed), target.Dictionary);
        while (!_stop && clock.Elapsed < options.Duration && Interlocked.Read(ref _inputs) < options.MaxInputs && FindingCount() < options.MaxFindings)
        {
            var input = mutator.Next(corpus);
            Interlocked.Increment(ref _inputs);
            if (RunOne(input))
            {
                Interlocked.Increment(ref _decoded);
                if (corpus.Count < options.MaxCorpus)
                {
                    corpus.Add(input);
                }
            }
        }
    }

    /// <summary>
    /// What <paramref name="input"/> allocates when run again: the first run of a code path pays the runtime's one-time
    /// costs (JIT, type loading, an exception message's resources), which are not the decoder's.
    /// </summary>
    private long AllocatesAgain(byte[] input)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            target.Run(input);
        }
        catch (Exception)
        {
            // Judged already by the first run.
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Runs one input; true when it decoded without error.</summary>
    private bool RunOne(byte[] input)
    {
        Volatile.Write(ref _current, input);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _startedAt, started);
        var decoded = false;
        try
        {
            target.Run(input);
            decoded = true;
        }
        catch (Exception e) when (target.IsExpected(e))
        {
        }
        catch (Exception e)
        {
            var frame = e.StackTrace?.Split('\n', 2)[0].Trim() ?? "";
            Record(FindingKind.Crash, input, $"{e.GetType().FullName} {frame}", $"{e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
        }

        Interlocked.Exchange(ref _startedAt, 0);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (elapsed > options.HangBudget && !_stop)
        {
            Record(FindingKind.Hang, input, "slow", $"took {elapsed.TotalSeconds:F1} s");
        }

        var bound = target.AllocationBound(input.Length);
        if (allocated > bound)
        {
            allocated = AllocatesAgain(input);
        }

        var ratio = (double)allocated / bound;
        if (ratio > _maxRatio)
        {
            _maxRatio = ratio;
        }

        if (allocated > bound)
        {
            Record(FindingKind.Allocation, input, $"allocation {input.Length / 64}", $"allocated {allocated} bytes for {input.Length} input bytes (bound {bound})");
        }

        return decoded;
    }

    private int FindingCount()
    {
        lock (_findings)
        {
            return _findings.Count;
        }
    }

    private void Record(FindingKind kind, byte[] input, string key, string detail)
    {
        lock (_findings)
        {
            if (_seen.Add($"{kind} {key}"))
            {
                _findings.Add(new Finding(target.Name, kind, input, detail));
            }
        }
    }
}
