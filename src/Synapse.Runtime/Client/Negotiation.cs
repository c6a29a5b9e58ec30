using System.Net;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport;

namespace Synapse.Client;

/// <summary>
/// Opens connections and learns what the peer supports. A Synapse host answers <c>_synapse.hello</c> with its
/// features and keeps the connection; a synapse-p2p node answers <c>Unregistered endpoint called: _synapse.hello</c>
/// and closes it, which tells the client to use one connection per call. No request is ever pipelined to a peer
/// that has not said it multiplexes.
/// </summary>
internal static class Negotiation
{
    private static readonly RpcArgumentsWriter<int> WriteHelloArguments = static (ref MsgPackWriter writer, in int maxFrameSize) =>
    {
        writer.WriteArrayHeader(1);
        writer.WriteMapHeader(3);
        writer.WriteStringUtf8("protocol"u8);
        writer.WriteString(RpcProtocol.ProtocolName);
        writer.WriteStringUtf8("features"u8);
        writer.WriteArrayHeader(2);
        writer.WriteString(RpcProtocol.FeatureMultiplex);
        writer.WriteString(RpcProtocol.FeatureCancel);
        writer.WriteStringUtf8("max_frame_size"u8);
        writer.WriteInt32(maxFrameSize);
    };

    /// <summary>Connects, with the connect timeout, turning failures into <see cref="RpcErrorCodes.ConnectionFailed"/>.</summary>
    public static async ValueTask<ITransportConnection> OpenAsync(EndPoint endPoint, SynapseClientOptions options, CancellationToken cancellationToken)
    {
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(options.ConnectTimeout);
        try
        {
            return await options.Connector.ConnectAsync(endPoint, connectTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(RpcErrorCodes.ConnectionFailed, $"cannot connect to {endPoint}: no answer within {options.ConnectTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            throw new RpcException(RpcErrorCodes.ConnectionFailed, $"cannot connect to {endPoint}: {e.Message}", e);
        }
    }

    /// <summary>Returns a multiplexed connection, or <c>null</c> when the peer serves one request per connection.</summary>
    public static async ValueTask<MultiplexedConnection?> ConnectAsync(EndPoint endPoint, SynapseClientOptions options, CancellationToken cancellationToken)
    {
        var transport = await OpenAsync(endPoint, options, cancellationToken).ConfigureAwait(false);
        var keep = false;
        try
        {
            using (var hello = RequestFrame.Encode(RpcProtocol.HelloEndpoint, "0", options.MaxFrameSize, WriteHelloArguments, null))
            {
                await transport.Pipe.Output.WriteAsync(hello.Frame, cancellationToken).ConfigureAwait(false);
            }

            var frame = await FrameReading.ReadOneAsync(transport.Pipe.Input, options.MaxFrameSize, cancellationToken).ConfigureAwait(false)
                ?? throw new RpcException(RpcErrorCodes.ConnectionFailed, $"{endPoint} closed the connection without answering {RpcProtocol.HelloEndpoint}");
            var error = RpcResponseParser.TryParse(new(frame), options.ReaderOptions, out var response);
            if (error is not null)
            {
                throw new RpcException(RpcErrorCodes.ProtocolError, $"{endPoint} answered {RpcProtocol.HelloEndpoint} with an invalid response: {error}");
            }

            if (response.Ok)
            {
                keep = true;
                return new MultiplexedConnection(transport, options, PeerMaxFrameSize(response, options));
            }

            // Only a peer that does not know hello (a synapse-p2p node) means "one request per connection"; any
            // other refusal (server busy, shutting down) is an error of this attempt, not a fact about the peer.
            if (response.ErrorMessage != $"Unregistered endpoint called: {RpcProtocol.HelloEndpoint}")
            {
                throw new RpcException(response.ErrorCode ?? RpcErrorCodes.ConnectionFailed, response.ErrorMessage ?? "hello refused");
            }

            if (options.Mode == ConnectionMode.Multiplexed)
            {
                throw new RpcException(RpcErrorCodes.ProtocolError, $"{endPoint} does not offer multiplexed connections");
            }

            return null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            throw new RpcException(RpcErrorCodes.ConnectionFailed, $"connection to {endPoint} failed: {e.Message}", e);
        }
        finally
        {
            if (!keep)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static int PeerMaxFrameSize(ParsedResponse hello, SynapseClientOptions options)
    {
        try
        {
            var reader = new MsgPackReader(hello.Result, options.ReaderOptions);
            if (MsgPackValue.ReadFrom(ref reader)["max_frame_size"] is { Type: MsgPackType.Integer } size)
            {
                return (int)Math.Clamp(size.AsInt64(), 64, options.MaxFrameSize);
            }
        }
        catch (Exception e) when (e is MsgPackException or InvalidOperationException or OverflowException)
        {
        }

        return options.MaxFrameSize;
    }
}
