using System.Net;
using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;

namespace Synapse.Client;

/// <summary>synapse-p2p's connection model: connect, send one request, read one response, close.</summary>
internal static class PerCallConnection
{
    /// <summary>Makes one call on a new connection.</summary>
    /// <param name="endPoint">The peer.</param>
    /// <param name="options">Client settings.</param>
    /// <param name="credential">The secure-link credential, or <c>null</c> for plaintext.</param>
    /// <param name="onPlaintextPeer">
    /// When not <c>null</c> and the peer answers the handshake in plaintext (a synapse-p2p node), called once and the
    /// call is retried in plaintext; when <c>null</c>, that answer is an error.
    /// </param>
    /// <param name="call">The pending call.</param>
    /// <param name="request">The encoded request; disposed here.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<TResult> CallAsync<TResult>(EndPoint endPoint, SynapseClientOptions options, Crypto.Noise.NoiseStaticCredential? credential, Action? onPlaintextPeer, PendingCall<TResult> call, RequestFrame request, CancellationToken cancellationToken)
    {
        using (request)
        {
            var transport = await Negotiation.OpenLinkAsync(endPoint, options, credential, cancellationToken).ConfigureAwait(false);
            if (transport is null)
            {
                if (onPlaintextPeer is null)
                {
                    throw new RpcException(RpcErrorCodes.AuthenticationFailed, $"{endPoint} does not offer secure links") { Endpoint = call.Endpoint };
                }

                onPlaintextPeer();
                transport = (await Negotiation.OpenLinkAsync(endPoint, options, null, cancellationToken).ConfigureAwait(false))!;
            }

            await using (transport.ConfigureAwait(false))
            {
                byte[]? frame;
                try
                {
                    await transport.Pipe.Output.WriteAsync(request.Frame, cancellationToken).ConfigureAwait(false);
                    frame = await Frames.ReadOneAsync(transport.Pipe.Input, options.MaxFrameSize, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (LinkLoss.Is(e))
                {
                    throw new RpcException(RpcErrorCodes.ConnectionFailed, $"connection to {endPoint} failed: {e.Message}", e) { Endpoint = call.Endpoint };
                }
                catch (NotSynapsePeerException e)
                {
                    throw new NotSynapsePeerException(e.Answer, endPoint.ToString()) { Endpoint = call.Endpoint };
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
