using System.Globalization;
using System.Text;
using Synapse.MessagePack;

namespace Synapse.Artifacts;

/// <summary>
/// The bytes Python's <c>json.dumps(value, sort_keys=True, separators=(",", ":"))</c> makes of a value (ASCII only,
/// other characters escaped as <c>\uXXXX</c>, floats as Python's <c>repr</c>): what synapse-p2p hashes for an
/// artifact whose content is neither text nor bytes, so a size and sha256 from either side agree.
/// </summary>
internal static class PythonJson
{
    /// <summary>The canonical encoding of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The value has no JSON form in Python (binary, an extension, a key that is not a string), naming where.</exception>
    public static byte[] Encode(MsgPackValue value)
    {
        var text = new StringBuilder();
        Write(text, value, "content");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static void Write(StringBuilder text, MsgPackValue value, string path)
    {
        switch (value.Type)
        {
            case MsgPackType.Nil:
                text.Append("null");
                break;
            case MsgPackType.Boolean:
                text.Append(value.AsBoolean() ? "true" : "false");
                break;
            case MsgPackType.Integer:
                text.Append(value.ToJson()); // integers print the same in both
                break;
            case MsgPackType.Float:
                text.Append(Float(value.AsDouble()));
                break;
            case MsgPackType.String:
                WriteString(text, value.AsString());
                break;
            case MsgPackType.Array:
                text.Append('[');
                var items = value.AsArray();
                for (var i = 0; i < items.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    Write(text, items[i], $"{path}[{i}]");
                }

                text.Append(']');
                break;
            case MsgPackType.Map:
                var entries = value.AsMap().Select(entry => entry.Key.Type == MsgPackType.String
                        ? (Key: entry.Key.AsString(), entry.Value)
                        : throw new ArgumentException($"{path}: a key that is not a string ({entry.Key.Type}) has no JSON form", nameof(value)))
                    .OrderBy(entry => entry.Key, CodePointComparer.Instance)
                    .ToList();
                text.Append('{');
                for (var i = 0; i < entries.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    WriteString(text, entries[i].Key);
                    text.Append(':');
                    Write(text, entries[i].Value, $"{path}.{entries[i].Key}");
                }

                text.Append('}');
                break;
            default:
                throw new ArgumentException($"{path}: a {value.Type.ToString().ToLowerInvariant()} value has no JSON form (give bytes as the whole content instead)", nameof(value));
        }
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); // UTF-16 units: surrogate pairs as Python writes them
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    /// <summary>Python's <c>repr</c> of a float: the shortest digits that read back, positional from 1e-4 to below 1e16, else scientific.</summary>
    private static string Float(double value)
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

        // "R" gives the shortest digits that read back (positional or d.dddE±x): lay them out as Python does.
        var (digits, exponent) = Decompose(value.ToString("R", CultureInfo.InvariantCulture));
        var sign = value < 0 ? "-" : "";
        if (exponent is >= -4 and < 16)
        {
            if (exponent >= digits.Length - 1)
            {
                return sign + digits + new string('0', exponent - digits.Length + 1) + ".0";
            }

            return exponent >= 0
                ? sign + digits[..(exponent + 1)] + "." + digits[(exponent + 1)..]
                : sign + "0." + new string('0', -exponent - 1) + digits;
        }

        var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The significant digits (no leading or trailing zeros) and the decimal exponent of the first digit.</summary>
    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        var text = roundTrip.TrimStart('-');
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? text.Length : point;
        var all = text.Replace(".", "", StringComparison.Ordinal);
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (digits.Length == 0 ? "0" : digits, exponent + integerDigits - 1 - leadingZeros);
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
