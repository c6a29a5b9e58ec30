using System.Net;
using Microsoft.Extensions.Logging;
using Synapse.Crypto.Noise;
using Synapse.MessagePack;
using Synapse.Rpc;
using Synapse.Transport;
using Synapse.Transport.Framing;
using Synapse.Transport.Secure;

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
        writer.WriteArrayHeader(3);
        writer.WriteString(RpcProtocol.FeatureMultiplex);
        writer.WriteString(RpcProtocol.FeatureCancel);
        writer.WriteString(RpcProtocol.FeatureProgress);
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
        catch (Exception e) when (LinkLoss.Is(e))
        {
            throw new RpcException(RpcErrorCodes.ConnectionFailed, $"cannot connect to {endPoint}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Connects and, with a <paramref name="credential"/>, runs the secure handshake. Returns <c>null</c> when the
    /// peer answered the handshake in plaintext (a synapse-p2p node); the connection is then closed.
    /// </summary>
    public static async ValueTask<ITransportConnection?> OpenLinkAsync(EndPoint endPoint, SynapseClientOptions options, NoiseStaticCredential? credential, CancellationToken cancellationToken)
    {
        var transport = await OpenAsync(endPoint, options, cancellationToken).ConfigureAwait(false);
        if (credential is null)
        {
            return transport;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.HandshakeTimeout);
        (ITransportConnection? Link, byte[]? PlaintextReply) outcome;
        try
        {
            outcome = await SecureLink.ConnectAsync(transport, credential, options.ExpectedPeer, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw e switch
            {
                NoiseException => new RpcException(RpcErrorCodes.AuthenticationFailed, $"secure handshake with {endPoint} failed: {e.Message}", e),
                OperationCanceledException when !cancellationToken.IsCancellationRequested => new RpcException(RpcErrorCodes.ConnectionFailed, $"secure handshake with {endPoint} did not complete within {options.HandshakeTimeout.TotalSeconds:0.###} s"),
                IOException or System.Net.Sockets.SocketException => new RpcException(RpcErrorCodes.ConnectionFailed, $"connection to {endPoint} failed during the secure handshake: {e.Message}", e),
                NotSynapsePeerException foreign => new NotSynapsePeerException(foreign.Answer, endPoint.ToString()),
                _ => e,
            };
        }

        if (outcome.Link is not null)
        {
            return outcome.Link;
        }

        // A synapse-p2p node fails to decode the handshake frame and says so; a Synapse host that refuses the
        // connection (busy, shutting down) says so too, and that is an error of this attempt.
        if (outcome.PlaintextReply is null)
        {
            throw new RpcException(RpcErrorCodes.ConnectionFailed, $"{endPoint} closed the connection during the secure handshake");
        }

        if (RpcResponseParser.TryParse(new(outcome.PlaintextReply), options.ReaderOptions, out var refusal) is null
            && refusal.ErrorMessage is { } message && message.StartsWith(RpcProtocol.ServerBusyPrefix, StringComparison.Ordinal))
        {
            throw new RpcException(refusal.ErrorCode ?? RpcErrorCodes.BadRequest, message);
        }

        return null;
    }

    /// <summary>
    /// Opens a link and asks for multiplexing. Returns the multiplexed connection, or <c>null</c> when the peer serves
    /// one request per connection, and whether that peer's links are secure. The connection logs its loss to <paramref name="logger"/>.
    /// </summary>
    public static async ValueTask<(MultiplexedConnection? Connection, bool Secure)> ConnectAsync(EndPoint endPoint, SynapseClientOptions options, NoiseStaticCredential? credential, ILogger logger, CancellationToken cancellationToken)
    {
        var transport = await OpenLinkAsync(endPoint, options, credential, cancellationToken).ConfigureAwait(false);
        if (transport is null)
        {
            if (options.Security == LinkSecurity.Required || options.ExpectedPeer is not null)
            {
                throw new RpcException(RpcErrorCodes.AuthenticationFailed, $"{endPoint} does not offer secure links");
            }

            return (null, false); // a synapse-p2p node: plaintext, one request per connection, no hello needed
        }

        var keep = false;
        try
        {
            using (var hello = RequestFrame.Encode(RpcProtocol.HelloEndpoint, "0", options.MaxFrameSize, WriteHelloArguments, null))
            {
                await transport.Pipe.Output.WriteAsync(hello.Frame, cancellationToken).ConfigureAwait(false);
            }

            var frame = await Frames.ReadOneAsync(transport.Pipe.Input, options.MaxFrameSize, cancellationToken).ConfigureAwait(false)
                ?? throw new RpcException(RpcErrorCodes.ConnectionFailed, $"{endPoint} closed the connection without answering {RpcProtocol.HelloEndpoint}");
            var error = RpcResponseParser.TryParse(new(frame), options.ReaderOptions, out var response);
            if (error is not null)
            {
                throw new RpcException(RpcErrorCodes.ProtocolError, $"{endPoint} answered {RpcProtocol.HelloEndpoint} with an invalid response: {error}");
            }

            if (response.Ok)
            {
                keep = true;
                return (new MultiplexedConnection(transport, options, HelloTerms(response, options), endPoint, logger), credential is not null);
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

            return (null, credential is not null);
        }
        catch (Exception e) when (LinkLoss.Is(e))
        {
            throw new RpcException(RpcErrorCodes.ConnectionFailed, $"connection to {endPoint} failed: {e.Message}", e);
        }
        catch (NotSynapsePeerException e)
        {
            throw new NotSynapsePeerException(e.Answer, endPoint.ToString());
        }
        finally
        {
            if (!keep)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>What the host's hello answer says: the largest request it takes, and the features it offers.</summary>
    private static HostTerms HelloTerms(ParsedResponse hello, SynapseClientOptions options)
    {
        var maxFrameSize = options.MaxFrameSize;
        var readsTraceContext = false;
        var streams = false;
        try
        {
            var reader = new MsgPackReader(hello.Result, options.ReaderOptions);
            var terms = MsgPackValue.ReadFrom(ref reader);
            if (terms["max_frame_size"] is { Type: MsgPackType.Integer } size)
            {
                maxFrameSize = (int)Math.Clamp(size.AsInt64(), 64, options.MaxFrameSize);
            }

            if (terms["features"] is { Type: MsgPackType.Array } features)
            {
                var offered = features.AsArray().Where(f => f.Type == MsgPackType.String).Select(f => f.AsString()).ToHashSet(StringComparer.Ordinal);
                readsTraceContext = offered.Contains(RpcProtocol.FeatureTraceContext);
                streams = offered.Contains(RpcProtocol.FeatureStream);
            }
        }
        catch (Exception e) when (e is MsgPackException or InvalidOperationException or OverflowException)
        {
        }

        return new HostTerms(maxFrameSize, readsTraceContext, streams);
    }
}

/// <summary>What a host's hello answer offers a multiplexed connection.</summary>
/// <param name="MaxFrameSize">The largest request it takes.</param>
/// <param name="ReadsTraceContext">Whether it reads W3C trace context in requests.</param>
/// <param name="Streams">Whether it streams the results of streaming endpoints.</param>
internal readonly record struct HostTerms(int MaxFrameSize, bool ReadsTraceContext, bool Streams);
