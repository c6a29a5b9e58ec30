using Synapse.Rpc;
using Synapse.Transport;

namespace Synapse.Hosting;

/// <summary>
/// A connection served as synapse-p2p does: one request, one response, close. While the handler runs the socket is
/// watched, and the caller closing it cancels the handler; the response is then written straight to the transport
/// within <see cref="AgentHostOptions.WriteTimeout"/>.
/// </summary>
internal static class SingleRequestCall
{
    /// <summary>Waits for the call, writes its response and recycles it through <paramref name="owner"/>.</summary>
    /// <param name="link">The connection's link.</param>
    /// <param name="invocation">The call, started by the connection.</param>
    /// <param name="pending">What the executor returned for it.</param>
    /// <param name="calls">The connection's calls, where the running call is registered for cancellation.</param>
    /// <param name="writeTimeout">How long writing the response may take.</param>
    /// <param name="owner">Recycles the call once its response is written (or could not be).</param>
    /// <param name="aborted">The connection's abort: stop waiting for a handler that ignores cancellation.</param>
    public static async Task CompleteAsync(ConnectionLink link, RpcInvocation invocation, ValueTask pending, RunningCalls calls, TimeSpan writeTimeout, IInvocationOwner owner, CancellationToken aborted)
    {
        if (!pending.IsCompleted)
        {
            calls.Track(invocation);
            using var watch = new CancellationTokenSource();
            var closed = CancelWhenCallerLeavesAsync(link, invocation, calls, watch.Token);
            try
            {
                await pending.AsTask().WaitAsync(aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // Aborted while the handler ignores cancellation: leave the invocation to it rather than recycle it.
                await watch.CancelAsync().ConfigureAwait(false);
                return;
            }

            await watch.CancelAsync().ConfigureAwait(false);
            await closed.ConfigureAwait(false);
        }

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            deadline.CancelAfter(writeTimeout);
            await link.Transport.Pipe.Output.WriteAsync(invocation.ResponseFrame, deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            owner.OnResponseWritten(invocation);
        }
    }

    /// <summary>While the call runs, watch the socket: EOF means the caller gave up, so cancel the handler.</summary>
    private static async Task CancelWhenCallerLeavesAsync(ConnectionLink link, RpcInvocation invocation, RunningCalls calls, CancellationToken stop)
    {
        var input = link.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(stop).ConfigureAwait(false);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    calls.Cancel(invocation);
                    return;
                }

                if (result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (LinkLoss.Is(e))
        {
            calls.Cancel(invocation);
        }
    }
}
