namespace Synapse.Relay;

/// <summary>A relay configuration that cannot be used: names the key, the file and what is wrong.</summary>
public sealed class RelayConfigurationException(string key, string? sourceName, string problem)
    : Exception(sourceName is null ? $"relay configuration: '{key}' {problem}" : $"{sourceName}: '{key}' {problem}")
{
    /// <summary>The offending key as a dotted path, e.g. <c>hyper_parameters.throttle_delay_ms</c>.</summary>
    public string Key { get; } = key;

    /// <summary>The file the configuration came from, when it came from one.</summary>
    public string? SourceName { get; } = sourceName;

    /// <summary>What is wrong with the key's value.</summary>
    public string Problem { get; } = problem;
}
