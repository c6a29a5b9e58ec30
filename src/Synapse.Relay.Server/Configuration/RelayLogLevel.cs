namespace Synapse.Relay.Configuration;

/// <summary>Severity of a relay log record, with Python's level names (<c>log_level</c>).</summary>
public enum RelayLogLevel
{
    /// <summary>DEBUG: every routed message's metadata.</summary>
    Debug = 10,

    /// <summary>INFO: connections, lifecycle.</summary>
    Info = 20,

    /// <summary>WARNING: refusals, backpressure, quarantine.</summary>
    Warning = 30,

    /// <summary>ERROR: failures of the relay itself.</summary>
    Error = 40,

    /// <summary>CRITICAL.</summary>
    Critical = 50,
}
