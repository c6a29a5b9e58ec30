using System.Text.Json;

namespace Synapse.Relay.Configuration;

/// <summary>
/// Reads <see cref="RelayOptions"/> from a Summoner-style JSON configuration file: Summoner's server layout
/// (<c>host</c>, <c>port</c>, <c>version</c>, <c>logger</c>, <c>hyper_parameters</c>) plus Synapse's own sections
/// (<c>identity_file</c>, <c>identity_passphrase_env</c>, <c>mailbox</c>, <c>summoner</c>). See docs/relay-config.md.
/// </summary>
/// <remarks>
/// Reading is strict: an unknown key, a value of the wrong JSON type, or a value out of range is a
/// <see cref="RelayConfigurationException"/> naming the file and the dotted key path. Comments (<c>//</c>, <c>/* */</c>)
/// and trailing commas are allowed. Keys absent from the file keep <see cref="RelayOptions"/>' defaults.
/// </remarks>
public static partial class RelayConfiguration
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
    };

    /// <summary>Reads and validates the file at <paramref name="path"/>; errors name <paramref name="path"/>.</summary>
    /// <exception cref="RelayConfigurationException">The file is not valid JSON, or a key or value is not accepted.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RelayOptions Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses and validates a configuration held in <paramref name="json"/>.</summary>
    /// <param name="json">The configuration text.</param>
    /// <param name="sourceName">The file name to put in errors (<see cref="RelayConfigurationException.SourceName"/>).</param>
    /// <exception cref="RelayConfigurationException">The text is not valid JSON, or a key or value is not accepted.</exception>
    public static RelayOptions Parse(string json, string? sourceName = null) => Parse(json, sourceName, textScalars: false);

    /// <summary>Parses and validates; with <paramref name="textScalars"/>, numbers and booleans may be written as text.</summary>
    internal static RelayOptions Parse(string json, string? sourceName, bool textScalars)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(json, sourceName);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new RelayConfigurationException("", sourceName, $"expected a JSON object at the top level, got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }

        var options = ReadTopLevel(new ConfigSection(document.RootElement, "", sourceName, textScalars));
        try
        {
            options.Validate();
        }
        catch (RelayConfigurationException e) when (e.SourceName is null && sourceName is not null)
        {
            throw new RelayConfigurationException(e.Key, sourceName, e.Problem, e);
        }

        return options;
    }

    private static JsonDocument ParseDocument(string json, string? sourceName)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw new RelayConfigurationException("", sourceName, $"invalid JSON at line {line}, byte {column}: {Reason(e.Message)}", e);
        }
    }

    /// <summary>The parser's message without its own (zero-based) position suffix.</summary>
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (path >= 0 && (cut < 0 || path < cut))
        {
            cut = path;
        }

        return (cut >= 0 ? message[..cut] : message).TrimEnd(' ', '.', '|');
    }
}
