using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Synapse.Relay.Configuration;

/// <summary>Reading the relay's settings from .NET configuration (<c>appsettings.json</c>, environment variables).</summary>
public static partial class RelayConfiguration
{
    /// <summary>The key of a section that names a Summoner-style file instead of holding the keys itself.</summary>
    public const string ConfigFileKey = "ConfigFile";

    /// <summary>
    /// Reads <see cref="RelayOptions"/> from a configuration section: either <c>ConfigFile</c>, the path of a
    /// Summoner-style JSON file (read as <see cref="Load"/> does), or the file's own keys in the section
    /// (<c>host</c>, <c>port</c>, <c>hyper_parameters:max_connections</c>, …), with numbers and booleans as
    /// configuration holds them, as text. The checks are the file's: an unknown key or a bad value is an error naming it.
    /// </summary>
    /// <param name="section">The section, e.g. <c>configuration.GetSection("Synapse:Relay")</c>.</param>
    /// <exception cref="RelayConfigurationException">A key or value is not accepted, or both a file and keys are given.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RelayOptions FromConfiguration(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var children = section.GetChildren().ToList();
        if (section[ConfigFileKey] is { } file)
        {
            if (children.FirstOrDefault(child => child.Key != ConfigFileKey) is { } other)
            {
                throw new RelayConfigurationException(other.Key, section.Path, $"is set beside {ConfigFileKey}; put every relay setting in the file '{file}', or none there");
            }

            return Load(file);
        }

        return Parse(ToJson(section), section.Path, textScalars: true);
    }

    /// <summary>The section as JSON: sections whose keys are 0, 1, 2… become arrays, values stay text.</summary>
    private static string ToJson(IConfigurationSection section)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteObject(writer, section.GetChildren());
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<IConfigurationSection> children)
    {
        writer.WriteStartObject();
        foreach (var child in children)
        {
            writer.WritePropertyName(child.Key);
            WriteValue(writer, child);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            writer.WriteStringValue(section.Value ?? "");
            return;
        }

        if (!children.Select((child, index) => child.Key == index.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(isIndex => isIndex))
        {
            WriteObject(writer, children);
            return;
        }

        writer.WriteStartArray();
        foreach (var child in children)
        {
            WriteValue(writer, child);
        }

        writer.WriteEndArray();
    }
}
