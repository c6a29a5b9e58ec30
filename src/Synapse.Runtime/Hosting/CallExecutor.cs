using System.Text;
using Microsoft.Extensions.Logging;
using Synapse.Rpc;

namespace Synapse.Hosting;

/// <summary>Where a request goes: a built-in, a generated endpoint (by index), or nowhere.</summary>
/// <param name="Builtin">The built-in, or <see cref="Builtin.None"/>.</param>
/// <param name="Index">The generated endpoint index, or -1.</param>
/// <param name="Name">The name used in logs and metrics: bounded to known endpoints so tags cannot be flooded.</param>
internal readonly record struct CallTarget(Builtin Builtin, int Index, string Name);

/// <summary>
/// Runs one call: resolves the endpoint (built-in or generated), invokes it and guarantees that the invocation ends
/// with a response, turning exceptions into synapse-p2p error responses.
/// </summary>
internal static class CallExecutor
{
    private const string Unregistered = "(unregistered)";

    /// <summary>Resolves the UTF-8 endpoint name once per call.</summary>
    public static CallTarget Resolve(AgentDispatcher dispatcher, ReadOnlySpan<byte> endpoint)
    {
        var builtin = BuiltinEndpoints.Find(endpoint);
        if (builtin == Builtin.SwarmAsk && dispatcher.FindEndpoint(endpoint) is >= 0 and var own)
        {
            // An agent's own synapse.ask endpoint wins over the swarm built-in.
            return new CallTarget(Builtin.None, own, dispatcher.Descriptor.Endpoints[own].Name);
        }

        if (builtin != Builtin.None)
        {
            return new CallTarget(builtin, -1, BuiltinEndpoints.Name(builtin));
        }

        var index = dispatcher.FindEndpoint(endpoint);
        return new CallTarget(Builtin.None, index, index >= 0 ? dispatcher.Descriptor.Endpoints[index].Name : Unregistered);
    }

    /// <summary>Executes the call; completes synchronously when the endpoint does. Never throws.</summary>
    /// <param name="dispatcher">The agent's generated dispatcher.</param>
    /// <param name="builtins">Answers of the fixed built-ins; <c>null</c> serves none of them.</param>
    /// <param name="call">The invocation to complete.</param>
    /// <param name="target">What <see cref="Resolve"/> found.</param>
    /// <param name="endpoint">The requested name, for the error message of an unknown endpoint.</param>
    /// <param name="logger">Where handler failures are logged.</param>
    public static ValueTask ExecuteAsync(AgentDispatcher dispatcher, BuiltinEndpoints? builtins, RpcInvocation call, CallTarget target, ReadOnlySpan<byte> endpoint, ILogger logger)
    {
        try
        {
            var pending = Invoke(dispatcher, builtins, call, target, endpoint);
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

    private static ValueTask Invoke(AgentDispatcher dispatcher, BuiltinEndpoints? builtins, RpcInvocation call, CallTarget target, ReadOnlySpan<byte> endpoint)
    {
        switch (target.Builtin)
        {
            case Builtin.None:
            case Builtin.Hello: // answered by ServerConnection as a connection's first request; unregistered otherwise, as on synapse-p2p
                break;
            case Builtin.Ask:
                var taskHandler = dispatcher.Descriptor.TaskHandler;
                if (taskHandler < 0)
                {
                    throw new RpcException(RpcErrorCodes.InternalError, "node has no ask handler");
                }

                return dispatcher.InvokeAsync(taskHandler, call);
            case Builtin.Evidence:
                if (builtins?.Evidence is { } evidence)
                {
                    return evidence.InvokeAsync(call);
                }

                break;
            case >= Builtin.Join:
                if (builtins?.Swarm is { } swarm)
                {
                    return swarm.InvokeAsync(target.Builtin, call, builtins.FixedResult(Builtin.NodeInfo));
                }

                if (target.Builtin == Builtin.Peers && builtins is not null)
                {
                    return WriteFixedResult(builtins, call, Builtin.Peers); // every synapse-p2p node answers, with no swarm too
                }

                break;
            default:
                if (builtins is null)
                {
                    break;
                }

                return WriteFixedResult(builtins, call, target.Builtin);
        }

        if (target.Index < 0)
        {
            throw new RpcException(RpcErrorCodes.BadRequest, $"Unregistered endpoint called: {Encoding.UTF8.GetString(endpoint)}");
        }

        return dispatcher.InvokeAsync(target.Index, call);
    }

    private static ValueTask WriteFixedResult(BuiltinEndpoints builtins, RpcInvocation call, Builtin builtin)
    {
        var writer = call.BeginResult();
        writer.WriteRaw(builtins.FixedResult(builtin));
        call.EndResult(ref writer);
        return default;
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
                HostLog.EndpointFailed(logger, exception, call.Endpoint);
                call.CompleteWithError(RpcErrorCodes.InternalError, exception.Message);
                break;
        }
    }
}
