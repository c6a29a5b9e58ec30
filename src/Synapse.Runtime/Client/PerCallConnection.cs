using System.Net;
using Synapse.Rpc;

namespace Synapse.Client;

/// <summary>synapse-p2p's connection model: connect, send one request, read one response, close.</summary>
internal static class PerCallConnection
{
    public static async Task<TResult> CallAsync<TResult>(EndPoint endPoint, SynapseClientOptions options, PendingCall<TResult> call, RequestFrame request, CancellationToken cancellationToken)
    {
        using (request)
        {
            var transport = await Negotiation.OpenAsync(endPoint, options, cancellationToken).ConfigureAwait(false);
            await using (transport.ConfigureAwait(false))
            {
                byte[]? frame;
                try
                {
                    await transport.Pipe.Output.WriteAsync(request.Frame, cancellationToken).ConfigureAwait(false);
                    frame = await FrameReading.ReadOneAsync(transport.Pipe.Input, options.MaxFrameSize, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                {
                    throw new RpcException(RpcErrorCodes.ConnectionFailed, $"connection to {endPoint} failed: {e.Message}", e) { Endpoint = call.Endpoint };
                }

                if (frame is null)
                {
                    throw new RpcException(RpcErrorCodes.ConnectionFailed, "incomplete frame: the peer closed the connection before answering") { Endpoint = call.Endpoint };
                }

                var error = RpcResponseParser.TryParse(new(frame), options.ReaderOptions, out var response);
                if (error is not null)
                {
                    throw new RpcException(RpcErrorCodes.ProtocolError, error) { Endpoint = call.Endpoint };
                }

                call.Complete(response, options.ReaderOptions);
                return await call.Task.ConfigureAwait(false);
            }
        }
    }
}
