using System;
using System.Globalization;

namespace Synapse.Generators.Schedules;

/// <summary>
/// Checks a cron expression at compile time with the grammar Cronos (the runtime's cron library) accepts in its
/// five-field format, character for character, so that what compiles also parses at run time. Jitter (<c>H</c>)
/// needs a seed the runtime does not give, so it is refused.
/// </summary>
internal static class CronSyntax
{
    private static readonly string[] Macros = ["yearly", "annually", "monthly", "weekly", "daily", "midnight", "hourly", "every_minute", "every_second"];

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly Field Minute = new("minute", 0, 59, null, 0);
    private static readonly Field Hour = new("hour", 0, 23, null, 0);
    private static readonly Field DayOfMonth = new("day-of-month", 1, 31, null, 0);
    private static readonly Field Month = new("month", 1, 12, MonthNames, 1);
    private static readonly Field DayOfWeek = new("day-of-week", 0, 7, DayNames, 0);

    /// <summary>What is wrong with <paramref name="expression"/>, or <c>null</c> when Cronos parses it.</summary>
    public static string? Check(string expression)
    {
        var parser = new Parser(expression);
        try
        {
            parser.Expression();
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    private sealed class Field(string name, int first, int last, string[]? names, int firstName)
    {
        public string Name { get; } = name;

        public int First { get; } = first;

        public int Last { get; } = last;

        public string[]? Names { get; } = names;

        public int FirstName { get; } = firstName;

        public string Values => Names is null
            ? $"a number from {First} to {Last}"
            : $"a number from {First} to {Last} or a name {Names[0]}–{Names[Names.Length - 1]}";
    }

    private sealed class Parser(string text)
    {
        private int _at;

        // Cronos reads a C string: the first NUL ends it.
        private char Current => _at < text.Length ? text[_at] : '\0';

        public void Expression()
        {
            SkipWhiteSpace();
            if (Accept('@'))
            {
                Macro();
                return;
            }

            var end = text.IndexOf('\0');
            var count = (end < 0 ? text : text.Substring(0, end)).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
            if (count != 5)
            {
                throw new FormatException($"it has {count} field{(count == 1 ? "" : "s")} where a cron expression has 5 (minute hour day-of-month month day-of-week; seconds are not supported)");
            }

            Plain(Minute);
            Separator(Minute);
            Plain(Hour);
            Separator(Hour);
            DayOfMonthField();
            Separator(DayOfMonth);
            Plain(Month);
            Separator(Month);
            DayOfWeekField();
            if (!IsWhiteSpace(Current) && !IsEnd(Current))
            {
                throw Unexpected(DayOfWeek);
            }

            SkipWhiteSpace();
            if (!IsEnd(Current))
            {
                throw new FormatException($"'{Current}' at position {_at + 1} follows the day-of-week field");
            }
        }

        private void Macro()
        {
            var start = _at;
            while (!IsEnd(Current) && !IsWhiteSpace(Current))
            {
                _at++;
            }

            var name = text.Substring(start, _at - start);
            if (Array.FindIndex(Macros, m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase)) < 0)
            {
                throw new FormatException($"'@{name}' is not a macro (use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every_minute or @every_second)");
            }

            SkipWhiteSpace();
            if (!IsEnd(Current))
            {
                throw new FormatException($"'{Current}' at position {_at + 1} follows the macro '@{name}'");
            }
        }

        private void Plain(Field field)
        {
            if (Star(field))
            {
                return;
            }

            List(field);
        }

        private void DayOfMonthField()
        {
            var field = DayOfMonth;
            if (Star(field))
            {
                return;
            }

            if (AcceptLetter('L'))
            {
                if (Accept('-'))
                {
                    Number(field, 0, field.Last - 1, "the offset from the last day of the month");
                }

                AcceptLetter('W');
                return;
            }

            Value(field);
            if (AcceptLetter('W'))
            {
                return;
            }

            Range(field);
            ListTail(field);
        }

        private void DayOfWeekField()
        {
            var field = DayOfWeek;
            if (Star(field))
            {
                return;
            }

            Value(field);
            if (AcceptLetter('L'))
            {
                return;
            }

            if (Accept('#'))
            {
                Number(field, 1, 5, "the week of the month after '#'");
                return;
            }

            Range(field);
            ListTail(field);
        }

        private bool Star(Field field)
        {
            if (Current == 'H')
            {
                throw new FormatException($"the {field.Name} field uses 'H' (jitter), which needs a seed that Synapse does not give; write the value");
            }

            if (!Accept('*') && !Accept('?'))
            {
                return false;
            }

            if (Accept('/'))
            {
                Number(field, 1, field.Last, "the step after '/'");
            }

            return true;
        }

        private void List(Field field)
        {
            Value(field);
            Range(field);
            ListTail(field);
        }

        private void ListTail(Field field)
        {
            while (Accept(','))
            {
                Value(field);
                Range(field);
            }
        }

        private void Range(Field field)
        {
            if (Accept('-'))
            {
                Value(field);
            }

            if (Accept('/'))
            {
                Number(field, 1, field.Last, "the step after '/'");
            }
        }

        private void Value(Field field)
        {
            var start = _at;
            var value = ReadNumber(field.Names);
            if (value < field.First || value > field.Last)
            {
                throw new FormatException($"the {field.Name} field has '{Token(start)}' where {field.Values} is expected");
            }
        }

        private void Number(Field field, int low, int high, string what)
        {
            var start = _at;
            var value = ReadNumber(null);
            if (value < low || value > high)
            {
                throw new FormatException($"the {field.Name} field has '{Token(start)}' as {what}, which must be a number from {low} to {high}");
            }
        }

        // As Cronos: one or two digits, or (where the field has names) three letters naming a value; -1 otherwise.
        private int ReadNumber(string[]? names)
        {
            if (IsDigit(Current))
            {
                var value = Current - '0';
                _at++;
                if (!IsDigit(Current))
                {
                    return value;
                }

                value = (value * 10) + (Current - '0');
                _at++;
                return IsDigit(Current) ? -1 : value;
            }

            if (names is null)
            {
                return -1;
            }

            for (var i = 0; i < 3; i++)
            {
                if (!IsLetter(At(_at + i)))
                {
                    return -1;
                }
            }

            var name = text.Substring(_at, 3).ToUpperInvariant();
            var index = Array.IndexOf(names, name);
            if (index < 0)
            {
                return -1;
            }

            _at += 3;
            return index + (names == MonthNames ? 1 : 0);
        }

        private void Separator(Field previous)
        {
            if (!IsWhiteSpace(Current))
            {
                throw Unexpected(previous);
            }

            SkipWhiteSpace();
        }

        private FormatException Unexpected(Field field) => IsEnd(Current)
            ? new FormatException($"it ends after the {field.Name} field")
            : new FormatException($"the {field.Name} field has '{Current}' at position {_at + 1}, which cannot follow '{Token(StartOfToken())}'");

        private string Token(int start)
        {
            var end = start;
            while (end < text.Length && !IsWhiteSpace(text[end]) && text[end] != '\0' && text[end] != ',')
            {
                end++;
            }

            return end > start ? text.Substring(start, end - start) : IsEnd(At(start)) ? "nothing" : At(start).ToString(CultureInfo.InvariantCulture);
        }

        private int StartOfToken()
        {
            var start = Math.Min(_at, text.Length);
            while (start > 0 && !IsWhiteSpace(text[start - 1]))
            {
                start--;
            }

            return start;
        }

        private char At(int index) => index < text.Length ? text[index] : '\0';

        private bool Accept(char c)
        {
            if (Current != c)
            {
                return false;
            }

            _at++;
            return true;
        }

        private bool AcceptLetter(char upper)
        {
            if (char.ToUpperInvariant(Current) != upper || !IsLetter(Current))
            {
                return false;
            }

            _at++;
            return true;
        }

        private void SkipWhiteSpace()
        {
            while (IsWhiteSpace(Current))
            {
                _at++;
            }
        }

        private static bool IsWhiteSpace(char c) => c is ' ' or '\t';

        private static bool IsEnd(char c) => c == '\0';

        private static bool IsDigit(char c) => c is >= '0' and <= '9';

        private static bool IsLetter(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z');
    }
}
