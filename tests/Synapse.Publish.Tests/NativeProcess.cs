using System.Diagnostics;
using System.Text;

namespace Synapse.Publish.Tests;

/// <summary>
/// A program started as a user starts it, whose output is read until it says it is ready. Disposing closes its
/// standard input (how the samples are told to stop), then kills it if it is still running after 10 seconds.
/// </summary>
internal sealed class NativeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _pumps;

    private NativeProcess(Process process, Func<string, string?> ready, TaskCompletionSource<string> readySignal)
    {
        _process = process;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, ready, readySignal), PumpAsync(process.StandardError, ready, readySignal));
    }

    /// <summary>What <c>ready</c> took from the first line it accepted.</summary>
    public string Ready { get; private set; } = "";

    /// <summary>Everything the program wrote so far, standard output and error interleaved by line.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/> in a process group of its own (<c>setsid</c>) and waits (60 s at most) for a
    /// line that <paramref name="ready"/> accepts.
    /// </summary>
    public static Task<NativeProcess> StartAsync(string program, IEnumerable<string> args, Func<string, string?> ready) =>
        StartAsync(new ProcessStartInfo("setsid", [program, .. args]), ready);

    /// <summary>
    /// Starts <paramref name="info"/> (its output and input are redirected here) and waits for it to be ready. Start
    /// it through <c>setsid</c> for <see cref="InterruptAsync"/> to reach the whole process group.
    /// </summary>
    public static async Task<NativeProcess> StartAsync(ProcessStartInfo info, Func<string, string?> ready)
    {
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var signal = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        var started = new NativeProcess(process, ready, signal);
        try
        {
            started.Ready = await signal.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return started;
        }
        catch (Exception e)
        {
            await started.DisposeAsync();
            throw new InvalidOperationException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not become ready ({e.Message}):\n{started.Output}", e);
        }
    }

    /// <summary>Sends SIGINT to the process group, as Ctrl+C in a terminal does, and returns the exit code.</summary>
    public async Task<int> InterruptAsync()
    {
        using (var kill = Process.Start("kill", ["-INT", "--", "-" + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _pumps;
        return _process.ExitCode;
    }

    /// <summary>Closes standard input and returns the exit code once the program has ended (30 s at most).</summary>
    public async Task<int> CloseInputAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _pumps;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _pumps.WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, Func<string, string?> ready, TaskCompletionSource<string> signal)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (!signal.Task.IsCompleted && ready(line) is { } value)
            {
                signal.TrySetResult(value);
            }
        }

        signal.TrySetException(new EndOfStreamException("the program ended before it was ready"));
    }
}
