using System.CommandLine;
using System.Text.Json;
using Synapse.MessagePack;

namespace Synapse.Cli.Json;

/// <summary>Command-line arguments as MessagePack values.</summary>
internal static class JsonArguments
{
    /// <summary>
    /// Parses <paramref name="text"/> as JSON (<c>1</c>, <c>2.5</c>, <c>true</c>, <c>null</c>, <c>"x"</c>,
    /// <c>[1,2]</c>, <c>{"k":1}</c>); text that is not valid JSON, such as a bare word, is taken as a string.
    /// </summary>
    public static MsgPackValue Parse(string text)
    {
        try
        {
            return MsgPackValue.ParseJson(text);
        }
        catch (JsonException)
        {
            return MsgPackValue.From(text);
        }
    }

    /// <summary>The <c>ARGS</c> of a command that calls an endpoint: positional arguments, each read with <see cref="Parse"/>.</summary>
    public static Argument<string[]> Positional() => new("ARGS")
    {
        Description = "Positional arguments, each parsed as JSON; text that is not JSON is sent as a string (use -- before arguments that start with -)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>The values of <paramref name="argument"/> (from <see cref="Positional"/>) in <paramref name="parse"/>.</summary>
    public static MsgPackValue[] Values(ParseResult parse, Argument<string[]> argument) => [.. (parse.GetValue(argument) ?? []).Select(Parse)];
}
