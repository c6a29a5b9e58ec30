using System.Text;
using Microsoft.Extensions.Logging;
using Synapse.Rpc;

namespace Synapse.Hosting;

/// <summary>
/// Runs one call: resolves the endpoint (built-in or generated), invokes it and guarantees that the invocation ends
/// with a response, turning exceptions into synapse-p2p error responses.
/// </summary>
internal static class CallExecutor
{
    /// <summary>Executes the call; completes synchronously when the endpoint does.</summary>
    public static ValueTask ExecuteAsync(AgentDispatcher dispatcher, BuiltinEndpoints? builtins, RpcInvocation call, ReadOnlySpan<byte> endpoint, ILogger logger)
    {
        try
        {
            var pending = Invoke(dispatcher, builtins, call, endpoint);
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

    /// <summary>The name used in logs and metrics: bounded to known endpoints so tags cannot be flooded.</summary>
    public static string MetricName(AgentDispatcher dispatcher, ReadOnlySpan<byte> endpoint)
    {
        var index = dispatcher.FindEndpoint(endpoint);
        if (index >= 0)
        {
            return dispatcher.Descriptor.Endpoints[index].Name;
        }

        return BuiltinEndpoints.Find(endpoint) switch
        {
            Builtin.None => "(unregistered)",
            Builtin.Hello => "_synapse.hello",
            Builtin.Ping => "_synapse.ping",
            Builtin.Methods => "_synapse.methods",
            Builtin.NodeInfo => "_synapse.info",
            Builtin.AgentInfo => "_agent.info",
            Builtin.Capabilities => "_agent.capabilities",
            _ => "_agent.ask",
        };
    }

    private static ValueTask Invoke(AgentDispatcher dispatcher, BuiltinEndpoints? builtins, RpcInvocation call, ReadOnlySpan<byte> endpoint)
    {
        var builtin = BuiltinEndpoints.Find(endpoint);
        switch (builtin)
        {
            case Builtin.None:
            case Builtin.Hello:
                break;
            case Builtin.Ask:
                var taskHandler = dispatcher.Descriptor.TaskHandler;
                if (taskHandler < 0)
                {
                    throw new RpcException(RpcErrorCodes.InternalError, "node has no ask handler");
                }

                return dispatcher.InvokeAsync(taskHandler, call);
            default:
                if (builtins is not null)
                {
                    var writer = call.BeginResult();
                    writer.WriteRaw(builtins.FixedResult(builtin));
                    call.EndResult(ref writer);
                    return default;
                }

                break;
        }

        var index = dispatcher.FindEndpoint(endpoint);
        if (index < 0)
        {
            throw new RpcException(RpcErrorCodes.BadRequest, $"Unregistered endpoint called: {Encoding.UTF8.GetString(endpoint)}");
        }

        return dispatcher.InvokeAsync(index, call);
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
