using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Synapse.Generators.Common;

/// <summary>Formats C# and JSON literals with the invariant culture.</summary>
internal static class Literals
{
    /// <summary>A quoted, escaped C# string literal.</summary>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>A quoted, escaped C# UTF-8 string literal (<c>"..."u8</c>).</summary>
    public static string Utf8(string value) => String(value) + "u8";

    /// <summary>An identifier, prefixed with <c>@</c> when it is a C# keyword.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A C# literal for a double, with the <c>D</c> suffix; special values use the <c>double</c> constants.</summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture) + "D";
    }

    public static string Single(float value)
    {
        if (float.IsNaN(value))
        {
            return "float.NaN";
        }

        if (float.IsPositiveInfinity(value))
        {
            return "float.PositiveInfinity";
        }

        if (float.IsNegativeInfinity(value))
        {
            return "float.NegativeInfinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture) + "F";
    }

    /// <summary>A quoted JSON string (RFC 8259 escaping).</summary>
    public static string JsonString(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    /// <summary>Escapes text for an XML doc comment.</summary>
    public static string Xml(string value) =>
        value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A 32-bit FNV-1a hash of the UTF-16 code units, as 8 hex digits (stable across runs).</summary>
    public static string StableHash(string value)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var c in value)
            {
                hash = (hash ^ (c & 0xffu)) * 16777619u;
                hash = (hash ^ (uint)(c >> 8)) * 16777619u;
            }

            return hash.ToString("x8", CultureInfo.InvariantCulture);
        }
    }

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Invariant(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A hexadecimal <c>ulong</c> literal such as <c>0x3UL</c>.</summary>
    public static string Mask(ulong value) => "0x" + value.ToString("X", CultureInfo.InvariantCulture) + "UL";

    internal static bool IsNullOrWhiteSpace(string? value) => value is null || value.Trim().Length == 0;

    internal static string Collapse(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
