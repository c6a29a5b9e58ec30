namespace Synapse.Cli;

/// <summary>Where a command writes: results on <see cref="Out"/>, errors and notes on <see cref="Error"/>.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>The prefix of every line written to stderr.</summary>
    public const string Prefix = "synapse: ";

    /// <summary>
    /// Whether <see cref="Out"/> is a terminal that understands cursor moves: the process's own stdout, not
    /// redirected, and <c>TERM</c> is not <c>dumb</c>. Commands that redraw in place check it; everything else
    /// prints lines.
    /// </summary>
    public bool OutIsTerminal =>
        ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>
    /// Writes <paramref name="line"/> to <see cref="Out"/> and flushes it, for commands that run until stopped, whose
    /// readers act on each line as it comes.
    /// </summary>
    public async Task WriteLineNowAsync(string line)
    {
        await Out.WriteLineAsync(line).ConfigureAwait(false);
        await Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary><see cref="WriteLineNowAsync"/> for callers that cannot await, such as an <see cref="IProgress{T}"/>.</summary>
    public void WriteLineNow(string line)
    {
        Out.WriteLine(line);
        Out.Flush();
    }

    /// <summary>Writes <paramref name="message"/> to stderr as one <c>synapse: …</c> line.</summary>
    public void Report(string message) => Error.WriteLine(Prefix + message.ReplaceLineEndings(" ").Trim());

    /// <summary>
    /// Turns an exception message into a clause for a <c>synapse: …</c> line: no trailing period, and a leading
    /// capital lowered when it starts an ordinary word ("Connection refused." → "connection refused").
    /// </summary>
    public static string Clause(string message)
    {
        var text = message.Trim().TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1])
            ? char.ToLowerInvariant(text[0]) + text[1..]
            : text;
    }
}
