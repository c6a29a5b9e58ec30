namespace Synapse.Cli;

/// <summary>The process exit codes of <c>synapse</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>A remote call or the runtime failed (connection refused, timeout, remote error), or a decision graph did not verify.</summary>
    public const int Failure = 1;

    /// <summary>The command line, a key file or a configuration file is wrong.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled by Ctrl+C or SIGTERM (128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
