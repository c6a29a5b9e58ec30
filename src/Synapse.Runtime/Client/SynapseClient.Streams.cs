using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Client;

/// <summary>Calls of endpoints that stream their results.</summary>
public sealed partial class SynapseClient
{
    /// <summary>
    /// Calls a streaming endpoint (one that returns <c>IAsyncEnumerable&lt;T&gt;</c>) and yields its items as they
    /// arrive. The host sends ahead only what this side granted, <see cref="RpcProtocol.StreamWindow"/> items at a
    /// time, so a slow consumer slows the producer; stopping the enumeration early (or cancelling) cancels the host's
    /// enumerator. A stream has no overall timeout: <see cref="SynapseClientOptions.CallTimeout"/> bounds connecting.
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="args">Positional arguments.</param>
    /// <param name="kwargs">Keyword arguments, by parameter name.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <exception cref="RpcException">The stream failed: the host's error (thrown where the enumeration is), or the node cannot stream (a synapse-p2p node serves one call per connection).</exception>
    public IAsyncEnumerable<MsgPackValue> StreamAsync(
        string endpoint,
        IReadOnlyList<MsgPackValue>? args = null,
        IReadOnlyDictionary<string, MsgPackValue>? kwargs = null,
        CancellationToken cancellationToken = default) =>
        StreamCoreAsync(endpoint, new Untyped(args, kwargs), WriteUntypedArguments, WriteUntypedKeywords, ReadValue, cancellationToken);

    /// <summary>Calls a streaming endpoint with arguments written by <paramref name="writeArguments"/>, reading each item with <paramref name="readItem"/> (used by generated clients).</summary>
    /// <exception cref="RpcException">The stream failed, or the node cannot stream.</exception>
    public IAsyncEnumerable<TItem> StreamAsync<TArgs, TItem>(
        string endpoint,
        TArgs arguments,
        RpcArgumentsWriter<TArgs> writeArguments,
        RpcResultReader<TItem> readItem,
        CancellationToken cancellationToken = default) =>
        StreamCoreAsync(endpoint, arguments, writeArguments, null, readItem, cancellationToken);

    private async IAsyncEnumerable<TItem> StreamCoreAsync<TArgs, TItem>(
        string endpoint,
        TArgs arguments,
        RpcArgumentsWriter<TArgs>? writeArguments,
        RpcArgumentsWriter<TArgs>? writeKeywords,
        RpcResultReader<TItem> readItem,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(readItem);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var state = new StreamState(endpoint, Stopwatch.GetTimestamp(), RpcTracing.StartClient(endpoint, RemoteEndPoint));
        var id = Interlocked.Increment(ref _nextId);
        MultiplexedConnection? connection = null;
        var ended = false;
        try
        {
            var stream = new PendingStream<TItem>(endpoint, readItem);
            connection = await OpenStreamAsync(id, stream, arguments, writeArguments, writeKeywords, state, cancellationToken).ConfigureAwait(false);
            var unacknowledged = 0;
            while (await state.WaitAsync(stream.Items, cancellationToken).ConfigureAwait(false))
            {
                while (stream.Items.TryRead(out var item))
                {
                    yield return item;
                    if (++unacknowledged >= RpcProtocol.StreamWindow / 2)
                    {
                        stream.Granted(unacknowledged);
                        connection.Grant(id, unacknowledged);
                        unacknowledged = 0;
                    }
                }
            }

            ended = true;
            state.Failure = null;
        }
        finally
        {
            if (!ended)
            {
                connection?.Abandon(id);
            }

            _metrics.CallCompleted(endpoint, state.Started, state.Failure);
            RpcTracing.Stop(state.Activity, state.Failure, state.FailureMessage);
        }
    }

    /// <summary>Negotiates (within the call timeout) and sends the request of a stream.</summary>
    private async Task<MultiplexedConnection> OpenStreamAsync<TArgs>(
        long id,
        PendingCall stream,
        TArgs arguments,
        RpcArgumentsWriter<TArgs>? writeArguments,
        RpcArgumentsWriter<TArgs>? writeKeywords,
        StreamState state,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.CallTimeout);
        try
        {
            var connection = await GetConnectionAsync(deadline.Token).ConfigureAwait(false) ?? throw new RpcException(RpcErrorCodes.BadRequest,
                $"'{state.Endpoint}' streams its results, but {RemoteEndPoint} serves one call per connection (a synapse-p2p node), which cannot carry a stream") { Endpoint = state.Endpoint };
            if (!connection.PeerStreams)
            {
                throw new RpcException(RpcErrorCodes.BadRequest, $"'{state.Endpoint}' streams its results, but {RemoteEndPoint} does not offer streams") { Endpoint = state.Endpoint };
            }

            var idText = id.ToString(CultureInfo.InvariantCulture);
            var span = state.Activity;
            var traced = span is { IdFormat: ActivityIdFormat.W3C } && connection.PeerReadsTraceContext;
            var request = RequestFrame.Encode(state.Endpoint, idText, arguments, writeArguments, writeKeywords, traced ? span!.Id : null, traced ? span!.TraceStateString : null);
            try
            {
                CheckSize(request, Math.Min(Options.MaxFrameSize, connection.PeerMaxFrameSize), state.Endpoint);
            }
            catch
            {
                request.Dispose();
                throw;
            }

            connection.Send(id, stream, request);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            var timedOut = new RpcTimeoutException(state.Endpoint, Options.CallTimeout);
            state.Fail(timedOut);
            throw timedOut;
        }
        catch (Exception e)
        {
            state.Fail(e);
            throw;
        }
    }

    /// <summary>What a stream records for its metrics and span: how it ended.</summary>
    private sealed class StreamState(string endpoint, long started, Activity? activity)
    {
        public string Endpoint { get; } = endpoint;

        public long Started { get; } = started;

        public Activity? Activity { get; } = activity;

        public string? Failure { get; set; } = FailedOtherwise;

        public string? FailureMessage { get; private set; }

        public void Fail(Exception e) => (Failure, FailureMessage) = e switch
        {
            RpcException rpc => (rpc.Code, rpc.Message),
            OperationCanceledException => (RpcErrorCodes.Cancelled, null),
            _ => (FailedOtherwise, e.Message),
        };

        /// <summary>Waits for the next items (false at the end of the stream), recording how a failure ended it.</summary>
        public async ValueTask<bool> WaitAsync<TItem>(ChannelReader<TItem> items, CancellationToken cancellationToken)
        {
            try
            {
                return await items.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Fail(e);
                throw;
            }
        }
    }
}
