using System.Buffers;
using System.Text;
using Synapse.MessagePack;

namespace Synapse.Rpc;

/// <summary>
/// Helpers the generated dispatchers call to bind positional and keyword arguments. Error messages follow Python's
/// wording, which synapse-p2p callers already know (for example
/// <c>sum() missing 1 required positional argument: 'b'</c>), and are sent as <c>internal_error</c> as synapse-p2p does.
/// </summary>
public static class RpcBinder
{
    /// <summary>Opens the positional argument array and returns how many items it has.</summary>
    /// <exception cref="RpcException">More than <paramref name="maxPositional"/> arguments were given.</exception>
    public static int ReadPositionalCount(ref MsgPackReader reader, string endpoint, int maxPositional)
    {
        if (reader.End)
        {
            return 0;
        }

        var count = reader.ReadArrayHeader();
        if (count > maxPositional)
        {
            throw Error(endpoint, $"{endpoint}() takes {maxPositional} positional argument{Plural(maxPositional)} but {count} {(count == 1 ? "was" : "were")} given");
        }

        return count;
    }

    /// <summary>Opens the keyword argument map and returns how many entries it has (0 when there is none).</summary>
    public static int ReadKeywordCount(ref MsgPackReader reader) => reader.End ? 0 : reader.ReadMapHeader();

    /// <summary>Reads a keyword name as UTF-8, without allocating when it is contiguous in the input.</summary>
    public static ReadOnlySpan<byte> ReadKeyword(ref MsgPackReader reader) =>
        reader.TryReadStringSpan(out var span) ? span : reader.ReadStringSequence().ToArray();

    /// <summary>The error for a keyword argument that also came positionally.</summary>
    public static RpcException MultipleValues(string endpoint, string parameter) =>
        Error(endpoint, $"{endpoint}() got multiple values for argument '{parameter}'");

    /// <summary>The error for a keyword that names no parameter.</summary>
    public static RpcException UnexpectedKeyword(string endpoint, ReadOnlySpan<byte> keyword) =>
        Error(endpoint, $"{endpoint}() got an unexpected keyword argument '{Encoding.UTF8.GetString(keyword)}'");

    /// <summary>The error for required parameters that received no value.</summary>
    /// <param name="endpoint">The endpoint name.</param>
    /// <param name="parameters">All wire parameter names, in order.</param>
    /// <param name="requiredMask">Bit i set when parameter i is required.</param>
    /// <param name="boundMask">Bit i set when parameter i received a value.</param>
    public static RpcException Missing(string endpoint, ReadOnlySpan<string> parameters, ulong requiredMask, ulong boundMask)
    {
        var missing = new List<string>();
        for (var i = 0; i < parameters.Length; i++)
        {
            var bit = 1UL << i;
            if ((requiredMask & bit) != 0 && (boundMask & bit) == 0)
            {
                missing.Add($"'{parameters[i]}'");
            }
        }

        var names = missing.Count switch
        {
            1 => missing[0],
            2 => $"{missing[0]} and {missing[1]}",
            _ => string.Join(", ", missing.Take(missing.Count - 1)) + ", and " + missing[^1],
        };
        return Error(endpoint, $"{endpoint}() missing {missing.Count} required positional argument{Plural(missing.Count)}: {names}");
    }

    /// <summary>The error for an argument whose value has the wrong type or range.</summary>
    public static RpcException InvalidArgument(string endpoint, string parameter, Exception error) =>
        new(RpcErrorCodes.InternalError, $"{endpoint}() argument '{parameter}': {error.Message}", error) { Endpoint = endpoint };

    private static RpcException Error(string endpoint, string message) =>
        new(RpcErrorCodes.InternalError, message) { Endpoint = endpoint };

    private static string Plural(int count) => count == 1 ? "" : "s";
}
