namespace Synapse.Relay.Configuration;

/// <summary>A relay configuration that cannot be used: names the key, the file and what is wrong.</summary>
public sealed class RelayConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The offending key as a dotted path; empty when the problem is the file as a whole.</param>
    /// <param name="sourceName">The file the configuration came from, if any.</param>
    /// <param name="problem">What is wrong, e.g. <c>expected an integer, got string</c>.</param>
    public RelayConfigurationException(string key, string? sourceName, string problem)
        : this(key, sourceName, problem, null)
    {
    }

    internal RelayConfigurationException(string key, string? sourceName, string problem, Exception? inner)
        : base(Describe(key, sourceName, problem), inner)
    {
        Key = key;
        SourceName = sourceName;
        Problem = problem;
    }

    /// <summary>The offending key as a dotted path, e.g. <c>hyper_parameters.throttle_delay_ms</c>; empty for the whole file.</summary>
    public string Key { get; }

    /// <summary>The file the configuration came from, when it came from one.</summary>
    public string? SourceName { get; }

    /// <summary>What is wrong with the key's value.</summary>
    public string Problem { get; }

    private static string Describe(string key, string? sourceName, string problem)
    {
        var where = sourceName ?? "relay configuration";
        return key.Length == 0 ? $"{where}: {problem}" : $"{where}: '{key}' {problem}";
    }
}
