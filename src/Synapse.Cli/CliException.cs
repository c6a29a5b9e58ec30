namespace Synapse.Cli;

/// <summary>A failure a command reports as one line on stderr, with the exit code it implies.</summary>
internal sealed class CliException(int exitCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The process exit code, see <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>A usage or configuration error (exit code 2).</summary>
    public static CliException Usage(string message, Exception? inner = null) => new(ExitCodes.Usage, message, inner);

    /// <summary>A runtime or remote failure (exit code 1).</summary>
    public static CliException Failure(string message, Exception? inner = null) => new(ExitCodes.Failure, message, inner);
}
