using System.CommandLine;
using System.Globalization;

namespace Synapse.Cli.Commands;

/// <summary>Options that take a number of seconds (<c>--timeout</c>, <c>--wait</c>, <c>--interval</c>…), checked one way.</summary>
internal static class Seconds
{
    /// <summary>The most seconds an option takes: timers take at most about 49 days.</summary>
    public const int Max = 2_000_000;

    /// <summary>The value of <paramref name="option"/> as a time span.</summary>
    /// <exception cref="CliException">It is not above 0 (or from 0 with <paramref name="zeroAllowed"/>) and at most <see cref="Max"/> (usage error).</exception>
    public static TimeSpan Read(ParseResult parse, Option<double> option, bool zeroAllowed = false) =>
        Check(parse.GetValue(option), option.Name, zeroAllowed);

    /// <summary><paramref name="seconds"/>, the value of option <paramref name="name"/>, as a time span.</summary>
    /// <exception cref="CliException">It is not above 0 (or from 0 with <paramref name="zeroAllowed"/>) and at most <see cref="Max"/> (usage error).</exception>
    public static TimeSpan Check(double seconds, string name, bool zeroAllowed = false)
    {
        var range = zeroAllowed ? $"from 0 to {Max}" : $"above 0 and at most {Max}";
        return (zeroAllowed ? seconds >= 0 : seconds > 0) && seconds <= Max
            ? TimeSpan.FromSeconds(seconds)
            : throw CliException.Usage($"{name} must be a number of seconds {range}, not {seconds.ToString(CultureInfo.InvariantCulture)}");
    }
}
