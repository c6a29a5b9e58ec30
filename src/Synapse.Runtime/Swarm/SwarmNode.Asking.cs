using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>
/// The asking side of swarm asks: <c>synapse.ask</c> with a <c>broadcast</c> kwarg to the chosen peers, then the
/// <c>ack</c> events and <c>_synapse.broadcast.reply</c> calls they send back are collected by nonce.
/// </summary>
public sealed partial class SwarmNode
{
    /// <summary>The endpoint a swarm ask calls, the one synapse-p2p's <c>sn ask</c> uses.</summary>
    public const string AskEndpoint = "synapse.ask";

    private readonly SwarmPendingAsks _pendingAsks;

    /// <summary>
    /// Asks the swarm: sends <c>synapse.ask(task, context=…, broadcast={nonce, origin, endpoint})</c> to the known peers
    /// (or those chosen by <paramref name="options"/>) and waits until each has replied, failed or been found
    /// unreachable, or until the timeout, whichever comes first. Replies from peers that were not asked are ignored.
    /// </summary>
    /// <param name="task">The task, the first positional argument of <c>synapse.ask</c> (a string converts implicitly).</param>
    /// <param name="options">Targets, context and timeout; the defaults when <c>null</c>.</param>
    /// <param name="cancellationToken">Abandons the ask.</param>
    /// <returns>One answer per asked peer; those silent at the timeout are <see cref="SwarmAskOutcome.TimedOut"/>.</returns>
    /// <exception cref="InvalidOperationException"><see cref="SwarmOptions.MaxPendingAsks"/> asks are already pending.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled or the host stopped.</exception>
    public async Task<SwarmAskResult> AskAsync(MsgPackValue task, SwarmAskOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        options ??= new SwarmAskOptions();
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var self = Self;
        var nonce = Guid.CreateVersion7().ToString();
        var pending = _pendingAsks.Add(nonce, Targets(options), options.Progress is { } progress ? update => ReportProgress(progress, update) : null);
        try
        {
            var broadcast = new SwarmBroadcast(nonce, self, AskEndpoint);
            Conversations.TryAdd(Signed(MessageEvent(broadcast, [task])));
            var kwargs = new Dictionary<string, MsgPackValue>(StringComparer.Ordinal)
            {
                [SwarmBroadcast.Keyword] = broadcast.ToMsgPack(),
            };
            if (options.Context is { } context)
            {
                kwargs["context"] = context;
            }

            pending.ReportAsked();
            await CollectAsync(pending, [task], kwargs, options.Timeout, cancellationToken).ConfigureAwait(false);
            return pending.Snapshot();
        }
        finally
        {
            _pendingAsks.Remove(nonce);
        }
    }

    /// <summary>Tells <paramref name="progress"/> of <paramref name="update"/>; what it throws is logged, as a hook's.</summary>
    private void ReportProgress(IProgress<SwarmAskUpdate> progress, SwarmAskUpdate update)
    {
        try
        {
            progress.Report(update);
        }
        catch (Exception e)
        {
            SwarmLog.HookFailed(_logger, e, "ask.progress");
        }
    }

    /// <summary>Sends the ask to every asked peer and waits for them all, the timeout or cancellation.</summary>
    private async Task CollectAsync(SwarmPendingAsk pending, MsgPackValue[] args, Dictionary<string, MsgPackValue> kwargs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping);
        using var sends = CancellationTokenSource.CreateLinkedTokenSource(abandon.Token);
        sends.CancelAfter(timeout);
        var calls = pending.Peers.Select(peer => SendAskAsync(pending, peer, args, kwargs, sends.Token)).ToArray();
        try
        {
            await pending.Settled.WaitAsync(sends.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!abandon.IsCancellationRequested)
        {
            // The timeout: the silent peers are reported as timed out.
        }
        finally
        {
            await sends.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(calls).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        _stopping.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Calls <c>synapse.ask</c> on one peer; a failed call marks it unreachable (a later reply still counts). A peer
    /// whose own <c>synapse.ask</c> endpoint answers at once, instead of deferring to a broadcast reply, has replied.
    /// </summary>
    private async Task SendAskAsync(SwarmPendingAsk pending, SwarmPeer peer, MsgPackValue[] args, Dictionary<string, MsgPackValue> kwargs, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await CallAsync(peer.Address, peer.Port, AskEndpoint, args, kwargs, cancellationToken).ConfigureAwait(false);
            if (!(answer.Type == MsgPackType.Map && answer["deferred"] is { Type: MsgPackType.Boolean } deferred && deferred.AsBoolean()))
            {
                pending.Settle(peer.Id, SwarmAskOutcome.Replied, answer, null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            SwarmLog.CallFailed(_logger, e, AskEndpoint, $"{peer.Address}:{peer.Port}");
            pending.Settle(peer.Id, SwarmAskOutcome.Unreachable, null, e.Message);
        }
    }

    /// <summary>The peers to ask: members with every required capability, most recently heard from first, at most <see cref="SwarmAskOptions.MaxPeers"/>.</summary>
    private SwarmPeer[] Targets(SwarmAskOptions options) =>
    [
        .. Membership.Peers
            .Where(p => p.Id != Membership.SelfId && options.RequiredCapabilities.All(c => p.Capabilities.Contains(c, StringComparer.Ordinal)))
            .OrderByDescending(p => p.LastSeen)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(options.MaxPeers),
    ];

    /// <summary>Feeds a newly stored conversation event to the pending ask it belongs to, if any.</summary>
    private static void Observe(SwarmPendingAsk? pending, SwarmConversationEvent stored)
    {
        switch (stored.Kind)
        {
            case "ack":
                pending?.Acknowledge(stored.Peer.Id);
                break;
            case "error":
                var error = stored.Payload["error"] is { Type: MsgPackType.String } text ? text.AsString() : stored.Payload.ToJson();
                pending?.Settle(stored.Peer.Id, SwarmAskOutcome.Failed, null, error);
                break;
        }
    }
}
