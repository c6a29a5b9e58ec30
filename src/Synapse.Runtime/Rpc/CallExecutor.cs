using System.Text;
using Microsoft.Extensions.Logging;

namespace Synapse.Rpc;

/// <summary>Where a request goes: a built-in, a generated endpoint (by index), or nowhere.</summary>
/// <param name="Builtin">The built-in, or <c>null</c>.</param>
/// <param name="Index">The generated endpoint index, or -1.</param>
/// <param name="Name">The name used in logs and metrics: bounded to known endpoints so tags cannot be flooded.</param>
/// <param name="Before">What runs before a generated endpoint (<see cref="BuiltinRegistry.BeforeAgentEndpoint"/>).</param>
internal readonly record struct CallTarget(Builtin? Builtin, int Index, string Name, Action<RpcInvocation>? Before = null);

/// <summary>
/// Runs one call: resolves the endpoint (a registered built-in or a generated endpoint), invokes it and guarantees
/// that the invocation ends with a response, turning exceptions into synapse-p2p error responses.
/// </summary>
internal static class CallExecutor
{
    private const string Unregistered = "(unregistered)";

    /// <summary>Resolves the UTF-8 endpoint name once per call.</summary>
    public static CallTarget Resolve(AgentDispatcher dispatcher, BuiltinRegistry builtins, ReadOnlySpan<byte> endpoint)
    {
        var builtin = builtins.Find(endpoint);
        if (builtin is { YieldsToAgent: false })
        {
            return new CallTarget(builtin, -1, builtin.Name);
        }

        var index = dispatcher.FindEndpoint(endpoint);
        return index >= 0 ? new CallTarget(null, index, dispatcher.Descriptor.Endpoints[index].Name, builtins.BeforeAgentEndpoint)
            : builtin is not null ? new CallTarget(builtin, -1, builtin.Name)
            : new CallTarget(null, -1, Unregistered);
    }

    /// <summary>Executes the call; completes synchronously when the endpoint does. Never throws.</summary>
    /// <param name="dispatcher">The agent's generated dispatcher.</param>
    /// <param name="call">The invocation to complete.</param>
    /// <param name="target">What <see cref="Resolve"/> found.</param>
    /// <param name="endpoint">The requested name, for the error message of an unknown endpoint.</param>
    /// <param name="logger">Where handler failures are logged.</param>
    public static ValueTask ExecuteAsync(AgentDispatcher dispatcher, RpcInvocation call, CallTarget target, ReadOnlySpan<byte> endpoint, ILogger logger)
    {
        try
        {
            var pending = Invoke(dispatcher, call, target, endpoint);
            if (pending.IsCompletedSuccessfully)
            {
                pending.GetAwaiter().GetResult();
                EnsureResponse(call);
                return default;
            }

            return AwaitAsync(pending, call, logger);
        }
        catch (Exception e)
        {
            Fail(call, e, logger);
            return default;
        }
    }

    /// <summary>The synapse-p2p error for a name nothing answers.</summary>
    public static RpcException UnregisteredEndpoint(string endpoint) =>
        new(RpcErrorCodes.BadRequest, $"Unregistered endpoint called: {endpoint}");

    private static ValueTask Invoke(AgentDispatcher dispatcher, RpcInvocation call, CallTarget target, ReadOnlySpan<byte> endpoint) =>
        target.Builtin is { } builtin ? builtin.Handler(call)
        : target.Index >= 0 ? InvokeAgent(dispatcher, call, target)
        : throw UnregisteredEndpoint(Encoding.UTF8.GetString(endpoint));

    private static ValueTask InvokeAgent(AgentDispatcher dispatcher, RpcInvocation call, CallTarget target)
    {
        target.Before?.Invoke(call);
        return dispatcher.InvokeAsync(target.Index, call);
    }

    private static async ValueTask AwaitAsync(ValueTask pending, RpcInvocation call, ILogger logger)
    {
        try
        {
            await pending.ConfigureAwait(false);
            EnsureResponse(call);
        }
        catch (Exception e)
        {
            Fail(call, e, logger);
        }
    }

    private static void EnsureResponse(RpcInvocation call)
    {
        if (!call.HasResponse)
        {
            call.CompleteWithNil();
        }
    }

    private static void Fail(RpcInvocation call, Exception exception, ILogger logger)
    {
        switch (exception)
        {
            case RpcException rpc:
                call.CompleteWithError(rpc.Code, rpc.Message);
                break;
            case OperationCanceledException when call.IsCancellationRequested:
                call.CompleteWithError(RpcErrorCodes.Cancelled, "call cancelled");
                break;
            default:
                RpcLog.EndpointFailed(logger, exception, call.Endpoint);
                call.CompleteWithError(RpcErrorCodes.InternalError, exception.Message);
                break;
        }
    }
}
