using System.Text.Json;

namespace Synapse.Relay.Configuration;

/// <summary>
/// One JSON object of a relay configuration file, read strictly: typed getters that name the dotted key path in their
/// errors, and <see cref="Finish"/>, which refuses any key no getter asked for.
/// </summary>
internal sealed class ConfigSection
{
    private const double MaxSeconds = int.MaxValue;
    private const double MaxMilliseconds = int.MaxValue;

    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private readonly bool _textScalars;

    /// <param name="element">The object.</param>
    /// <param name="path">Its dotted path.</param>
    /// <param name="source">The file name for errors.</param>
    /// <param name="textScalars">
    /// Whether numbers and booleans may come as text, as .NET configuration holds every value (<c>"30"</c>,
    /// <c>"true"</c>); a file's JSON must use the real types.
    /// </param>
    public ConfigSection(JsonElement element, string path, string? source, bool textScalars = false)
    {
        Path = path;
        Source = source;
        _textScalars = textScalars;
        foreach (var property in element.EnumerateObject())
        {
            if (!_values.TryAdd(property.Name, property.Value))
            {
                throw Error(property.Name, "is set more than once");
            }

            _order.Add(property.Name);
        }
    }

    /// <summary>The dotted path of this object; empty for the top level.</summary>
    public string Path { get; }

    /// <summary>The file name used in errors.</summary>
    public string? Source { get; }

    /// <summary>The dotted path of one of this object's keys.</summary>
    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <summary>An error about one of this object's keys.</summary>
    public RelayConfigurationException Error(string key, string problem) => new(KeyPath(key), Source, problem);

    /// <summary>Whether the key is present (with any value, null included).</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>
    /// The nested object under <paramref name="key"/>, or null when the key is absent (or null, when
    /// <paramref name="nullIsAbsent"/>).
    /// </summary>
    public ConfigSection? Section(string key, bool nullIsAbsent)
    {
        if (!TryTake(key, out var value) || (nullIsAbsent && value.ValueKind == JsonValueKind.Null))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? new ConfigSection(value, KeyPath(key), Source, _textScalars)
            : throw Mismatch(key, "an object", value);
    }

    public bool Bool(string key, bool fallback)
    {
        if (!TryTake(key, out var value))
        {
            return fallback;
        }

        return Scalar(value).ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Mismatch(key, "true or false", value),
        };
    }

    public string String(string key, string fallback) =>
        NullableString(key, fallback, nullable: false) ?? fallback;

    public string? NullableString(string key, string? fallback) => NullableString(key, fallback, nullable: true);

    public int Int(string key, int fallback) => TryTake(key, out var value) ? checked((int)Integer(key, value, int.MinValue, int.MaxValue)) : fallback;

    public int? NullableInt(string key, int? fallback)
    {
        if (!TryTake(key, out var value))
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Null ? null : checked((int)Integer(key, value, int.MinValue, int.MaxValue));
    }

    public long Long(string key, long fallback) => TryTake(key, out var value) ? Integer(key, value, long.MinValue, long.MaxValue) : fallback;

    /// <summary>A key Summoner has and Synapse accepts without effect: it must hold a positive integer.</summary>
    public void IgnoredPositiveInt(string key)
    {
        if (TryTake(key, out var value) && Integer(key, value, int.MinValue, int.MaxValue) <= 0)
        {
            throw Error(key, "must be positive");
        }
    }

    /// <summary>A key Summoner has and Synapse accepts without effect: it must hold a positive number.</summary>
    public void IgnoredPositiveNumber(string key)
    {
        if (TryTake(key, out var value) && Number(key, value, MaxSeconds) <= 0)
        {
            throw Error(key, "must be positive");
        }
    }

    /// <summary>A duration in seconds (an integer or a fractional number, not negative).</summary>
    public TimeSpan Seconds(string key, TimeSpan fallback) =>
        TryTake(key, out var value) ? TimeSpan.FromSeconds(Number(key, value, MaxSeconds)) : fallback;

    /// <summary>A duration in seconds, or null.</summary>
    public TimeSpan? NullableSeconds(string key, TimeSpan? fallback)
    {
        if (!TryTake(key, out var value))
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Null ? null : TimeSpan.FromSeconds(Number(key, value, MaxSeconds));
    }

    /// <summary>A duration in milliseconds (an integer or a fractional number, not negative).</summary>
    public TimeSpan Milliseconds(string key, TimeSpan fallback) =>
        TryTake(key, out var value) ? TimeSpan.FromMilliseconds(Number(key, value, MaxMilliseconds)) : fallback;

    /// <summary>An array of strings, or null.</summary>
    public IReadOnlyList<string>? NullableStringList(string key, IReadOnlyList<string>? fallback)
    {
        if (!TryTake(key, out var value))
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Mismatch(key, "an array of strings or null", value);
        }

        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw Error(key, $"expected an array of strings, got {Describe(item)} at index {list.Count}"));
        }

        return list;
    }

    /// <summary>Refuses the first key (in file order) that no getter asked for.</summary>
    /// <param name="hint">Optional advice for an unknown key, e.g. the section it belongs in.</param>
    public void Finish(Func<string, string?>? hint = null)
    {
        foreach (var key in _order)
        {
            if (!_read.Contains(key))
            {
                var advice = hint?.Invoke(key);
                throw Error(key, advice is null ? "is not a known key" : "is not a known key here; " + advice);
            }
        }
    }

    private bool TryTake(string key, out JsonElement value)
    {
        if (_values.TryGetValue(key, out value))
        {
            _read.Add(key);
            return true;
        }

        return false;
    }

    private string? NullableString(string key, string? fallback, bool nullable)
    {
        if (!TryTake(key, out var value))
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null when nullable => null,
            _ => throw Mismatch(key, nullable ? "a string or null" : "a string", value),
        };
    }

    private long Integer(string key, JsonElement value, long min, long max)
    {
        value = Scalar(value);
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Mismatch(key, "an integer", value);
        }

        if (!value.TryGetInt64(out var number))
        {
            var raw = value.GetRawText();
            throw raw.AsSpan().IndexOfAny(".eE") >= 0
                ? Error(key, $"expected an integer, got number {raw}")
                : Error(key, $"expected an integer between {min} and {max}, got {raw}");
        }

        return number >= min && number <= max
            ? number
            : throw Error(key, $"expected an integer between {min} and {max}, got {number}");
    }

    private double Number(string key, JsonElement value, double max)
    {
        value = Scalar(value);
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Mismatch(key, "a number", value);
        }

        if (!value.TryGetDouble(out var number))
        {
            throw Error(key, $"must be at most {max}");
        }

        if (number < 0)
        {
            throw Error(key, "must not be negative");
        }

        return number <= max ? number : throw Error(key, $"must be at most {max}");
    }

    /// <summary>With text scalars, the number or boolean a string spells; otherwise the value as it is.</summary>
    private JsonElement Scalar(JsonElement value)
    {
        if (!_textScalars || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 64 } text)
        {
            return value;
        }

        try
        {
            using var literal = JsonDocument.Parse(text);
            return literal.RootElement.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? literal.RootElement.Clone() : value;
        }
        catch (JsonException)
        {
            return value;
        }
    }

    private RelayConfigurationException Mismatch(string key, string expected, JsonElement value) =>
        Error(key, $"expected {expected}, got {Describe(value)}");

    private string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when _textScalars => $"'{value.GetString()}'",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        _ => value.ValueKind.ToString(),
    };
}
