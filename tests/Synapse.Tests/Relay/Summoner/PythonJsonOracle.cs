using System.Diagnostics;
using System.Text;
using Xunit;

namespace Synapse.Tests.Relay.Summoner;

/// <summary>
/// Asks the system Python what Summoner writes: <c>json.dumps</c> of the typed wrapper (with the type tree of
/// <c>summoner/protocol/payload.py</c>) and of the Python server's relay envelope. Inputs travel as hex, so nothing of
/// ours encodes them: JSON text, UTF-16 code units (lone surrogates included), IEEE double bits, raw line bytes.
/// </summary>
internal static class PythonJsonOracle
{
    public const string Python = "/usr/bin/python3";

    public const string RelayAddress = "127.0.0.1:33534";

    private const string Script = """
        import json, struct, sys
        def t(v):
            if v is None: return "null"
            if isinstance(v, bool): return "bool"
            if isinstance(v, int): return "int"
            if isinstance(v, float): return "float"
            if isinstance(v, list): return [t(x) for x in v]
            if isinstance(v, dict): return {k: t(x) for k, x in v.items()}
            return "str"
        def wrap(p):
            return json.dumps({"_version": "1.3.0", "_payload": p, "_type": t(p)}) + "\n"
        def relay(line):
            try:
                text = line.decode()
            except UnicodeDecodeError:
                return None
            return json.dumps({"remote_addr": "127.0.0.1:33534", "content": text}) + "\n"
        out = sys.stdout.buffer
        for raw in sys.stdin.buffer:
            kind, _, arg = raw.strip().partition(b" ")
            data = bytes.fromhex(arg.decode())
            if kind == b"json": r = wrap(json.loads(data.decode()))
            elif kind == b"str": r = wrap(data.decode("utf-16-le", "surrogatepass"))
            elif kind == b"float": r = wrap(struct.unpack("<d", data)[0])
            elif kind == b"relay": r = relay(data)
            else: raise SystemExit("unknown kind")
            out.write((r.encode("ascii").hex() if r is not None else "ERR").encode() + b"\n")
        """;

    /// <summary>Python's typed line for a JSON document (parsed by <c>json.loads</c>).</summary>
    public static Task<byte[]?[]> WrapJsonAsync(IEnumerable<string> documents) =>
        RunAsync(documents.Select(d => ("json", Encoding.UTF8.GetBytes(d))));

    /// <summary>Python's typed line for a string payload given as UTF-16 code units.</summary>
    public static Task<byte[]?[]> WrapStringsAsync(IEnumerable<string> strings) =>
        RunAsync(strings.Select(s => ("str", System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.AsSpan()).ToArray()))); // raw code units: Encoding.Unicode would replace lone surrogates

    /// <summary>Python's typed line for a float payload given by its bits.</summary>
    public static Task<byte[]?[]> WrapFloatsAsync(IEnumerable<double> values) =>
        RunAsync(values.Select(v => ("float", BitConverter.GetBytes(v))));

    /// <summary>The Python server's envelope for each line (from <see cref="RelayAddress"/>), or null where it fails to decode it.</summary>
    public static Task<byte[]?[]> RelayAsync(IEnumerable<byte[]> lines) => RunAsync(lines.Select(l => ("relay", l)));

    private static async Task<byte[]?[]> RunAsync(IEnumerable<(string Kind, byte[] Argument)> requests)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: the Summoner byte-compatibility tests need Python's json module; run ./test.sh, which installs python3.");
        var input = new StringBuilder();
        var count = 0;
        foreach (var (kind, argument) in requests)
        {
            input.Append(kind).Append(' ').Append(Convert.ToHexString(argument)).Append('\n');
            count++;
        }

        var info = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input.ToString());
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"python3 failed ({process.ExitCode}): {await stderr}");
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, lines.Length);
        return lines.Select(l => l == "ERR" ? null : Convert.FromHexString(l)).ToArray();
    }
}
