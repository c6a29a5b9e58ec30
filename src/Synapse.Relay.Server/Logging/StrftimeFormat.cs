using System.Globalization;
using System.Text;

namespace Synapse.Relay.Logging;

/// <summary>
/// A timestamp format in Python's strftime syntax, compiled once. Supported: <c>%Y %y %m %d %H %I %M %S %p %j %a %A
/// %b %B %z %%</c>, <c>%f</c> (3 fraction digits, as Summoner writes it) and <c>%&lt;n&gt;f</c> (n = 1..9 fraction
/// digits, truncated). Any other directive, and a lone trailing <c>%</c>, is written literally.
/// </summary>
internal sealed class StrftimeFormat
{
    private readonly List<Part> _parts = [];

    public StrftimeFormat(string format)
    {
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                literal.Append(format[i]);
                continue;
            }

            var (directive, digits, length) = ReadDirective(format, i + 1);
            if (directive == '\0')
            {
                literal.Append('%');
                continue;
            }

            if (directive == '%')
            {
                literal.Append('%');
            }
            else
            {
                Flush(literal);
                _parts.Add(new Part(directive, digits, null));
            }

            i += length;
        }

        Flush(literal);
    }

    public string Format(DateTimeOffset time)
    {
        var text = new StringBuilder(32);
        foreach (var part in _parts)
        {
            if (part.Literal is not null)
            {
                text.Append(part.Literal);
            }
            else
            {
                AppendDirective(text, part, time);
            }
        }

        return text.ToString();
    }

    /// <summary>The directive at <paramref name="start"/> (after the '%'): its letter, digit count and length; '\0' if unknown.</summary>
    private static (char Directive, int Digits, int Length) ReadDirective(string format, int start)
    {
        var c = format[start];
        if (c is >= '1' and <= '9' && start + 1 < format.Length && format[start + 1] == 'f')
        {
            return ('f', c - '0', 2);
        }

        return "YymdHIMSpjaAbBzf%".Contains(c, StringComparison.Ordinal) ? (c, c == 'f' ? 3 : 0, 1) : ('\0', 0, 0);
    }

    private static void AppendDirective(StringBuilder text, Part part, DateTimeOffset t)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (part.Directive)
        {
            case 'Y': text.Append(t.Year.ToString("D4", invariant)); break;
            case 'y': text.Append((t.Year % 100).ToString("D2", invariant)); break;
            case 'm': text.Append(t.Month.ToString("D2", invariant)); break;
            case 'd': text.Append(t.Day.ToString("D2", invariant)); break;
            case 'H': text.Append(t.Hour.ToString("D2", invariant)); break;
            case 'I': text.Append(((t.Hour + 11) % 12 + 1).ToString("D2", invariant)); break;
            case 'M': text.Append(t.Minute.ToString("D2", invariant)); break;
            case 'S': text.Append(t.Second.ToString("D2", invariant)); break;
            case 'p': text.Append(t.Hour < 12 ? "AM" : "PM"); break;
            case 'j': text.Append(t.DayOfYear.ToString("D3", invariant)); break;
            case 'a': text.Append(t.ToString("ddd", invariant)); break;
            case 'A': text.Append(t.ToString("dddd", invariant)); break;
            case 'b': text.Append(t.ToString("MMM", invariant)); break;
            case 'B': text.Append(t.ToString("MMMM", invariant)); break;
            case 'z': AppendOffset(text, t.Offset); break;
            default: AppendFraction(text, t, part.Digits); break;
        }
    }

    private static void AppendOffset(StringBuilder text, TimeSpan offset)
    {
        text.Append(offset < TimeSpan.Zero ? '-' : '+');
        var minutes = Math.Abs((int)offset.TotalMinutes);
        text.Append((minutes / 60).ToString("D2", CultureInfo.InvariantCulture))
            .Append((minutes % 60).ToString("D2", CultureInfo.InvariantCulture));
    }

    private static void AppendFraction(StringBuilder text, DateTimeOffset t, int digits)
    {
        // Ticks give 7 digits; the 8th and 9th are always zero.
        var fraction = (t.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture) + "00";
        text.Append(fraction, 0, digits);
    }

    private void Flush(StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            _parts.Add(new Part('\0', 0, literal.ToString()));
            literal.Clear();
        }
    }

    private readonly record struct Part(char Directive, int Digits, string? Literal);
}
