using System.Buffers;
using System.Globalization;
using System.Text;

namespace Synapse.MessagePack;

/// <summary>
/// JSON text as Python's <c>json.dumps</c> writes it, for peers that compare or hash those bytes: <c>ensure_ascii</c>
/// string escaping (lowercase <c>\uXXXX</c>, UTF-16 surrogate pairs), <c>float.__repr__</c>, and the canonical form
/// synapse-p2p hashes artifacts with (<see cref="Canonical"/>). Summoner's relay lines and synapse-p2p's artifact
/// digests both depend on it.
/// </summary>
public static class PythonJson
{
    private static readonly SearchValues<byte> PlainBytes = SearchValues.Create(CreatePlainBytes());

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>The escape letter for <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\b</c>, <c>\f</c>, or 0 for <c>\u00XX</c>.</summary>
    private static byte ShortEscape(int c) => c switch
    {
        '"' => (byte)'"',
        '\\' => (byte)'\\',
        '\n' => (byte)'n',
        '\r' => (byte)'r',
        '\t' => (byte)'t',
        '\b' => (byte)'b',
        '\f' => (byte)'f',
        _ => 0,
    };

    private static bool IsPlain(int c) => c is >= 0x20 and <= 0x7e and not '"' and not '\\';

    /// <summary>The length of <paramref name="text"/> escaped, without quotes.</summary>
    public static int EscapedLength(string text)
    {
        var length = 0;
        foreach (var c in text)
        {
            length += IsPlain(c) ? 1 : ShortEscape(c) != 0 ? 2 : 6;
        }

        return length;
    }

    /// <summary>Writes <paramref name="text"/> escaped, without quotes; returns the bytes written.</summary>
    public static int WriteEscaped(string text, Span<byte> destination)
    {
        var at = 0;
        foreach (var c in text)
        {
            at += WriteChar(c, destination[at..]);
        }

        return at;
    }

    /// <summary>The length of UTF-8 <paramref name="utf8"/> escaped as a JSON string body, or -1 when it is not valid UTF-8.</summary>
    public static int EscapedLength(ReadOnlySpan<byte> utf8)
    {
        var length = 0;
        while (true)
        {
            var plain = utf8.IndexOfAnyExcept(PlainBytes);
            if (plain < 0)
            {
                return length + utf8.Length;
            }

            length += plain;
            utf8 = utf8[plain..];
            if (utf8[0] < 0x80)
            {
                length += ShortEscape(utf8[0]) != 0 ? 2 : 6;
                utf8 = utf8[1..];
                continue;
            }

            if (Rune.DecodeFromUtf8(utf8, out var rune, out var consumed) != OperationStatus.Done)
            {
                return -1;
            }

            length += rune.IsBmp ? 6 : 12;
            utf8 = utf8[consumed..];
        }
    }

    /// <summary>Writes valid UTF-8 <paramref name="utf8"/> escaped (checked by <see cref="EscapedLength(ReadOnlySpan{byte})"/>); returns the bytes written.</summary>
    public static int WriteEscaped(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        var at = 0;
        Span<char> units = stackalloc char[2];
        while (true)
        {
            var plain = utf8.IndexOfAnyExcept(PlainBytes);
            if (plain < 0)
            {
                utf8.CopyTo(destination[at..]);
                return at + utf8.Length;
            }

            utf8[..plain].CopyTo(destination[at..]);
            at += plain;
            utf8 = utf8[plain..];
            if (utf8[0] < 0x80)
            {
                at += WriteChar((char)utf8[0], destination[at..]);
                utf8 = utf8[1..];
                continue;
            }

            Rune.DecodeFromUtf8(utf8, out var rune, out var consumed);
            var count = rune.EncodeToUtf16(units);
            for (var i = 0; i < count; i++)
            {
                at += WriteChar(units[i], destination[at..]);
            }

            utf8 = utf8[consumed..];
        }
    }

    /// <summary>Appends <paramref name="text"/> as a quoted, ASCII-escaped JSON string.</summary>
    public static void WriteString(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(EscapedLength(text) + 2);
        span[0] = (byte)'"';
        var written = WriteEscaped(text, span[1..]);
        span[written + 1] = (byte)'"';
        output.Advance(written + 2);
    }

    /// <summary>Appends ASCII text as is.</summary>
    public static void WriteAscii(IBufferWriter<byte> output, string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        var written = Encoding.ASCII.GetBytes(ascii, span);
        output.Advance(written);
    }

    /// <summary>Python's <c>repr(float)</c>, with <c>json.dumps</c>'s <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>.</summary>
    public static string FloatRepr(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (negative, digits, point) = ShortestDigits(value);
        var sign = negative ? "-" : "";
        if (point is > -4 and <= 16)
        {
            if (point <= 0)
            {
                return $"{sign}0.{new string('0', -point)}{digits}";
            }

            return point >= digits.Length
                ? $"{sign}{digits}{new string('0', point - digits.Length)}.0"
                : $"{sign}{digits[..point]}.{digits[point..]}";
        }

        var exponent = point - 1;
        var mantissa = digits.Length == 1 ? digits : $"{digits[0]}.{digits[1..]}";
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):D2}");
    }

    /// <summary>The shortest round-trip digits of a finite non-zero value, and where the decimal point goes after how many of them.</summary>
    private static (bool Negative, string Digits, int Point) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture); // shortest round-trip, e.g. "-1.25E-05"
        var negative = text[0] == '-';
        var body = negative ? text[1..] : text;
        var e = body.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(body.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? body : body[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integer = dot < 0 ? mantissa : mantissa[..dot];
        var digits = dot < 0 ? integer : integer + mantissa[(dot + 1)..];
        var point = integer.Length + exponent;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
            point--;
        }

        return (negative, digits[lead..].TrimEnd('0'), point);
    }

    private static int WriteChar(char c, Span<byte> destination)
    {
        if (IsPlain(c))
        {
            destination[0] = (byte)c;
            return 1;
        }

        destination[0] = (byte)'\\';
        var letter = ShortEscape(c);
        if (letter != 0)
        {
            destination[1] = letter;
            return 2;
        }

        destination[1] = (byte)'u';
        destination[2] = Hex[c >> 12];
        destination[3] = Hex[(c >> 8) & 0xf];
        destination[4] = Hex[(c >> 4) & 0xf];
        destination[5] = Hex[c & 0xf];
        return 6;
    }

    private static byte[] CreatePlainBytes()
    {
        var plain = new List<byte>();
        for (var c = 0x20; c <= 0x7e; c++)
        {
            if (IsPlain(c))
            {
                plain.Add((byte)c);
            }
        }

        return [.. plain];
    }

    /// <summary>
    /// The bytes of Python's <c>json.dumps(value, sort_keys=True, separators=(",", ":"))</c>: keys sorted by code point,
    /// no spaces, ASCII only, floats as <see cref="FloatRepr"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The value has no JSON form in Python (binary, an extension, a key that is not a string), naming where.</exception>
    public static byte[] Canonical(MsgPackValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var output = new ArrayBufferWriter<byte>();
        Write(output, value, "content", canonical: true);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The text of Python's <c>json.dumps(value, default=str)</c> for a value decoded from MessagePack: <c>", "</c> and
    /// <c>": "</c> between items, keys in their order, ASCII only, and what JSON cannot hold (bytes, extensions) as
    /// Python's <c>str</c> of it.
    /// </summary>
    /// <exception cref="ArgumentException">A map key is not a string, a number, a boolean or nil (Python's <c>TypeError</c>).</exception>
    public static string Dumps(MsgPackValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var output = new ArrayBufferWriter<byte>();
        Write(output, value, "value", canonical: false);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    private static void Write(ArrayBufferWriter<byte> output, MsgPackValue value, string path, bool canonical)
    {
        switch (value.Type)
        {
            case MsgPackType.Nil:
                WriteAscii(output, "null");
                break;
            case MsgPackType.Boolean:
                WriteAscii(output, value.AsBoolean() ? "true" : "false");
                break;
            case MsgPackType.Integer:
                WriteAscii(output, value.ToJson()); // integers print the same in both
                break;
            case MsgPackType.Float:
                WriteAscii(output, FloatRepr(value.AsDouble()));
                break;
            case MsgPackType.String:
                WriteString(output, value.AsString());
                break;
            case MsgPackType.Array:
                var items = value.AsArray();
                WriteAscii(output, "[");
                for (var i = 0; i < items.Count; i++)
                {
                    WriteAscii(output, i == 0 ? "" : canonical ? "," : ", ");
                    Write(output, items[i], $"{path}[{i}]", canonical);
                }

                WriteAscii(output, "]");
                break;
            case MsgPackType.Map:
                var entries = value.AsMap().Select(entry => (Key: Key(entry.Key, path, canonical), entry.Value)).ToList();
                if (canonical)
                {
                    entries.Sort((a, b) => CodePointComparer.Instance.Compare(a.Key, b.Key));
                }

                WriteAscii(output, "{");
                for (var i = 0; i < entries.Count; i++)
                {
                    WriteAscii(output, i == 0 ? "" : canonical ? "," : ", ");
                    WriteString(output, entries[i].Key);
                    WriteAscii(output, canonical ? ":" : ": ");
                    Write(output, entries[i].Value, $"{path}.{entries[i].Key}", canonical);
                }

                WriteAscii(output, "}");
                break;
            case MsgPackType.Binary when !canonical:
                WriteString(output, BytesRepr(value.AsBinary().Span));
                break;
            case MsgPackType.Extension when !canonical:
                var extension = value.AsExtension();
                WriteString(output, value.TryGetTimestamp(out var seconds, out var nanoseconds)
                    ? string.Create(CultureInfo.InvariantCulture, $"Timestamp(seconds={seconds}, nanoseconds={nanoseconds})")
                    : string.Create(CultureInfo.InvariantCulture, $"ExtType(code={extension.TypeCode}, data={BytesRepr(extension.Data.Span)})"));
                break;
            default:
                throw new ArgumentException($"{path}: a {value.Type.ToString().ToLowerInvariant()} value has no JSON form (give bytes as the whole content instead)", nameof(value));
        }
    }

    /// <summary>A map key as <c>json.dumps</c> writes it: strings as they are, and (outside the canonical form) numbers, booleans and nil as text.</summary>
    private static string Key(MsgPackValue key, string path, bool canonical) => key.Type switch
    {
        MsgPackType.String => key.AsString(),
        MsgPackType.Integer when !canonical => key.ToJson(),
        MsgPackType.Float when !canonical => FloatRepr(key.AsDouble()),
        MsgPackType.Boolean when !canonical => key.AsBoolean() ? "true" : "false",
        MsgPackType.Nil when !canonical => "null",
        _ => throw new ArgumentException($"{path}: a key that is not a string ({key.Type}) has no JSON form", nameof(key)),
    };

    /// <summary>Python's <c>str()</c> of bytes: <c>b'...'</c>, with backslash escapes for the quote, the backslash, tab, newline, return and other bytes outside printable ASCII (<c>\xNN</c>).</summary>
    private static string BytesRepr(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder("b'");
        foreach (var b in bytes)
        {
            text.Append(b switch
            {
                (byte)'\\' => "\\\\",
                (byte)'\'' => "\\'",
                (byte)'\t' => "\\t",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            });
        }

        return text.Append('\'').ToString();
    }

    /// <summary>Orders strings by code point, as Python compares <c>str</c>.</summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var left = (x ?? "").EnumerateRunes();
            var right = (y ?? "").EnumerateRunes();
            while (true)
            {
                var hasLeft = left.MoveNext();
                var hasRight = right.MoveNext();
                if (!hasLeft || !hasRight)
                {
                    return hasLeft ? 1 : hasRight ? -1 : 0;
                }

                var order = left.Current.Value.CompareTo(right.Current.Value);
                if (order != 0)
                {
                    return order;
                }
            }
        }
    }
}
