using Synapse.MessagePack;

namespace Synapse.Rpc;

/// <summary>
/// The arguments of a call to a built-in, read into values: each parameter positionally or by keyword, with errors
/// (<c>bad_request</c>) that name the built-in and the parameter.
/// </summary>
internal sealed class BuiltinArguments
{
    private readonly string _builtin;
    private readonly IReadOnlyList<MsgPackValue> _args;
    private readonly MsgPackValue? _kwargs;

    private BuiltinArguments(string builtin, IReadOnlyList<MsgPackValue> args, MsgPackValue? kwargs)
    {
        _builtin = builtin;
        _args = args;
        _kwargs = kwargs;
    }

    /// <summary>Reads the call's arguments; more positional ones than <paramref name="parameters"/> is an error.</summary>
    /// <exception cref="RpcException"><c>bad_request</c>: malformed arguments, too many, or a keyword that names no parameter.</exception>
    public static BuiltinArguments Read(RpcInvocation call, params string[] parameters)
    {
        IReadOnlyList<MsgPackValue> args;
        MsgPackValue? kwargs;
        try
        {
            args = call.Arguments.IsEmpty ? [] : MsgPackValue.Parse(call.Arguments, call.ReaderOptions) is { Type: MsgPackType.Array } array ? array.AsArray() : [];
            kwargs = call.KeywordArguments.IsEmpty ? null : MsgPackValue.Parse(call.KeywordArguments, call.ReaderOptions) is { Type: MsgPackType.Map } map ? map : null;
        }
        catch (MsgPackException e)
        {
            throw new BuiltinArguments(call.Endpoint, [], null).Bad($"malformed arguments: {e.Message}");
        }

        var arguments = new BuiltinArguments(call.Endpoint, args, kwargs);
        if (args.Count > parameters.Length)
        {
            throw arguments.Bad(parameters.Length == 1
                ? $"takes one argument, '{parameters[0]}'; got {args.Count}"
                : $"takes at most {parameters.Length} arguments ({string.Join(", ", parameters)}); got {args.Count}");
        }

        foreach (var (key, _) in kwargs?.AsMap() ?? [])
        {
            if (key.Type != MsgPackType.String || !parameters.Contains(key.AsString()))
            {
                throw arguments.Bad($"unexpected keyword argument {key}; it takes {string.Join(", ", parameters)}");
            }
        }

        return arguments;
    }

    /// <summary>Parameter <paramref name="index"/>, named <paramref name="name"/>, as given (nil included), or <c>null</c> when not given.</summary>
    /// <exception cref="RpcException"><c>bad_request</c>: it was given both positionally and by keyword.</exception>
    public MsgPackValue? Optional(int index, string name)
    {
        var keyword = _kwargs?[name];
        return index < _args.Count
            ? keyword is null ? _args[index] : throw Bad($"got multiple values for argument '{name}'")
            : keyword;
    }

    /// <summary>Parameter <paramref name="index"/>, named <paramref name="name"/>.</summary>
    /// <exception cref="RpcException"><c>bad_request</c>: it is missing; <paramref name="what"/> says what it should be.</exception>
    public MsgPackValue Required(int index, string name, string what) =>
        Optional(index, name) ?? throw Bad($"missing argument '{name}': {what}");

    /// <summary>A string parameter.</summary>
    /// <exception cref="RpcException"><c>bad_request</c>: missing, or not a string.</exception>
    public string String(int index, string name, string what)
    {
        var value = Required(index, name, what);
        return value.Type == MsgPackType.String ? value.AsString() : throw Bad($"'{name}' must be a string ({what}), got {value.Type}");
    }

    /// <summary>A <c>bad_request</c> naming the built-in.</summary>
    public RpcException Bad(string message) => new(RpcErrorCodes.BadRequest, $"{_builtin}: {message}") { Endpoint = _builtin };
}
