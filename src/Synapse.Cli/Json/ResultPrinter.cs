using Synapse.MessagePack;

namespace Synapse.Cli.Json;

/// <summary>Prints MessagePack results as JSON.</summary>
internal static class ResultPrinter
{
    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// Prints <paramref name="value"/> as indented JSON on stdout. Binary data is shown as base64 strings and
    /// extension values as <c>{"$ext": type, "data": base64}</c> objects, each noted once on stderr so that stdout
    /// stays valid JSON. With <paramref name="raw"/>, prints one line: a string result as it is, anything else as
    /// compact JSON, and no notes.
    /// </summary>
    public static void Print(MsgPackValue value, bool raw, CliConsole console)
    {
        if (raw)
        {
            console.Out.WriteLine(value.Type == MsgPackType.String ? value.AsString() : value.ToJson());
            return;
        }

        console.Out.WriteLine(JsonText.ToIndentedJson(value));
        var found = Scan(value);
        if ((found & Found.Binary) != 0)
        {
            console.Report("note: binary data is shown as base64 strings");
        }

        if ((found & Found.Extension) != 0)
        {
            console.Report("note: MessagePack extension values are shown as {\"$ext\": type, \"data\": base64}");
        }
    }

    private static Found Scan(MsgPackValue value)
    {
        switch (value.Type)
        {
            case MsgPackType.Binary:
                return Found.Binary;
            case MsgPackType.Extension:
                // Timestamps that DateTimeOffset can hold are printed as ISO 8601 strings.
                return value.TryGetTimestamp(out var seconds, out _) && seconds >= MinUnixSeconds && seconds <= MaxUnixSeconds
                    ? Found.None
                    : Found.Extension;
            case MsgPackType.Array:
                var inArray = Found.None;
                foreach (var item in value.AsArray())
                {
                    inArray |= Scan(item);
                }

                return inArray;
            case MsgPackType.Map:
                var inMap = Found.None;
                foreach (var (key, item) in value.AsMap())
                {
                    inMap |= Scan(key) | Scan(item);
                }

                return inMap;
            default:
                return Found.None;
        }
    }

    [Flags]
    private enum Found
    {
        None = 0,
        Binary = 1,
        Extension = 2,
    }
}
