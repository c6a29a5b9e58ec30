namespace Synapse.Relay;

/// <summary>Reads <see cref="RelayOptions"/> from a Summoner-style JSON configuration file.</summary>
public static class RelayConfiguration
{
    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    public static RelayOptions Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses and validates a configuration held in <paramref name="json"/>.</summary>
    public static RelayOptions Parse(string json, string? sourceName = null) => throw new NotImplementedException("pending");
}
