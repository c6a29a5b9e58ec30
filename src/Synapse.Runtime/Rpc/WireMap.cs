using Synapse.MessagePack;

namespace Synapse.Rpc;

/// <summary>The shared pieces of the maps built-ins answer (tasks, artifacts): optional fields, the error map, and reading with errors that name the field.</summary>
internal static class WireMap
{
    public static (string, MsgPackValue)[] Optional(string key, MsgPackValue? value) => value is null ? [] : [(key, value)];

    public static (string, MsgPackValue)[] Optional(string key, string? value) => value is null ? [] : [(key, value)];

    public static (string, MsgPackValue)[] Error(string? code, string? message) =>
        code is null ? [] : [("error", MsgPackValue.Map([("code", code), ("message", message ?? "")]))];

    /// <summary>Reads <paramref name="value"/> as a map with <paramref name="read"/>; any failure is a <c>protocol_error</c> naming <paramref name="what"/>.</summary>
    public static T Read<T>(string what, MsgPackValue value, Func<Fields, T> read)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            return value.Type == MsgPackType.Map ? read(new Fields(value)) : throw new FormatException($"expected a map, got {value.Type}");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
        {
            throw new RpcException(RpcErrorCodes.ProtocolError, $"malformed {what}: {e.Message}", e);
        }
    }

    /// <summary>The fields of one map, each read with an error that names it.</summary>
    public sealed class Fields(MsgPackValue map)
    {
        public string String(string key) => As(key, Required(key), v => v.AsString());

        public string? OptionalString(string key) => Value(key) is { } value ? As(key, value, v => v.AsString()) : null;

        public long Integer(string key) => As(key, Required(key), v => v.AsInt64());

        public long? OptionalInteger(string key) => Value(key) is { } value ? As(key, value, v => v.AsInt64()) : null;

        public DateTimeOffset Time(string key) => As(key, Required(key), v => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(v.AsDouble() * 1000)));

        public MsgPackValue? Value(string key) => map[key] is { IsNil: false } value ? value : null;

        public string? ErrorCode => Value("error") is { } error ? As("error.code", error["code"] ?? MsgPackValue.Nil, v => v.AsString()) : null;

        public string? ErrorMessage => Value("error") is { } error ? As("error.message", error["message"] ?? MsgPackValue.Nil, v => v.AsString()) : null;

        private MsgPackValue Required(string key) => map[key] ?? throw new FormatException($"'{key}' is missing");

        private static T As<T>(string key, MsgPackValue value, Func<MsgPackValue, T> read)
        {
            try
            {
                return read(value);
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidCastException or OverflowException or ArgumentOutOfRangeException)
            {
                throw new FormatException($"'{key}': {e.Message}", e);
            }
        }
    }
}
