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
    /// <exception cref="RpcException"><c>bad_request</c>: too many arguments, or a keyword that names no parameter.</exception>
    public static BuiltinArguments Read(RpcInvocation call, params string[] parameters)
    {
        var args = call.Arguments.IsEmpty ? [] : MsgPackValue.Parse(call.Arguments, call.ReaderOptions) is { Type: MsgPackType.Array } array ? array.AsArray() : [];
        var kwargs = call.KeywordArguments.IsEmpty ? null : MsgPackValue.Parse(call.KeywordArguments, call.ReaderOptions) is { Type: MsgPackType.Map } map ? map : null;
        var arguments = new BuiltinArguments(call.Endpoint, args, kwargs);
        if (args.Count > parameters.Length)
        {
            throw arguments.Bad($"takes at most {parameters.Length} arguments ({string.Join(", ", parameters)}); got {args.Count}");
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

    /// <summary>Parameter <paramref name="index"/>, named <paramref name="name"/>, or <c>null</c> when not given (or nil).</summary>
    public MsgPackValue? Optional(int index, string name)
    {
        var value = index < _args.Count ? _args[index] : _kwargs?[name];
        return value is { IsNil: false } ? value : null;
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
