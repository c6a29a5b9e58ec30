using Synapse.Hosting;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Swarm;

/// <summary>
/// Swarm asks and conversations: <c>synapse.ask</c> with a broadcast is acknowledged, run in the background and
/// answered with <c>_synapse.broadcast.reply</c>; <c>_synapse.conversation.event</c> and
/// <c>_synapse.broadcast.reply</c> are stored, deduplicated and forwarded once to the other known peers, and fed to
/// this node's own pending asks (<see cref="AskAsync(MsgPackValue, SwarmAskOptions?, CancellationToken)"/>).
/// </summary>
public sealed partial class SwarmNode
{
    /// <summary>The node's conversation log.</summary>
    public SwarmConversations Conversations { get; }

    private ValueTask ConversationEvent(RpcInvocation call)
    {
        var (args, kwargs) = Arguments(call);
        var received = SwarmConversationEvent.FromMsgPack(Argument(args, kwargs, 0, "event", "conversation_event"));
        var author = Admit(received.Peer);
        var duplicate = Conversations.Knows(received.EventId); // gossip brings most events more than once: check its signature only the first time
        if (!duplicate)
        {
            RequireValidSignature(received);
        }

        var pending = _pendingAsks.Find(received.ConversationId);
        if (pending is not null && !pending.WasAsked(author.Id))
        {
            call.CompleteWith(MsgPackValue.Map(("ok", true), ("stored", false)));
            return default;
        }

        var stored = !duplicate && Conversations.TryAdd(received); // a duplicate is never stored, even if its id has since left the log's memory: it was not verified
        Membership.Touch(author);
        if (stored)
        {
            Observe(pending, received);
            Forward(SwarmEndpoints.ConversationEvent, [received.ToMsgPack()], null, author.Id);
        }

        call.CompleteWith(MsgPackValue.Map(("ok", true), ("stored", stored)));
        return default;
    }

    private ValueTask BroadcastReply(RpcInvocation call)
    {
        var (args, kwargs) = Arguments(call);
        var nonce = Argument(args, kwargs, 0, "nonce", "broadcast_reply").AsString();
        var replier = Admit(Argument(args, kwargs, 1, "peer", "broadcast_reply"));
        // broadcast_reply(nonce, peer, result=None): the result may come third or by keyword.
        var result = args.Count > 2 ? args[2] : kwargs.Type == MsgPackType.Map ? kwargs["result"] ?? MsgPackValue.Nil : MsgPackValue.Nil;
        ReceiveReply(nonce, replier, result, call.Arguments.Length + call.KeywordArguments.Length);
        call.CompleteWith(MsgPackValue.Map(("ok", true)));
        return default;
    }

    private ValueTask Ask(RpcInvocation call)
    {
        var (args, kwargs) = Arguments(call);
        return AnswerAskAsync(call, args, kwargs);
    }

    private ValueTask AnswerAskAsync(RpcInvocation call, IReadOnlyList<MsgPackValue> args, MsgPackValue kwargs)
    {
        var envelope = kwargs.Type == MsgPackType.Map ? kwargs[SwarmBroadcast.Keyword] : null;
        var rest = kwargs.Type == MsgPackType.Map
            ? WithoutBroadcast(kwargs).Where(e => e.Key.Type == MsgPackType.String).ToDictionary(e => e.Key.AsString(), e => e.Value, StringComparer.Ordinal)
            : [];
        if (envelope is not { Type: MsgPackType.Map })
        {
            return AnswerDirectlyAsync(call, args, rest);
        }

        var received = ReadBroadcast(envelope);
        var broadcast = new SwarmBroadcast(received.Nonce, Admit(received.Origin), AskEndpoint);
        Conversations.TryAdd(MessageEvent(broadcast, args));
        call.CompleteWith(MsgPackValue.Map(("accepted", true), ("deferred", true)));
        var task = args.Count > 0 ? args[0] : rest.GetValueOrDefault("task") ?? MsgPackValue.Nil;
        _ = Task.Run(() => RunAskAsync(broadcast, task, args, rest), CancellationToken.None);
        return default;
    }

    /// <summary>A direct (non-broadcast) <c>synapse.ask</c>: synchronous, as on synapse-p2p.</summary>
    private async ValueTask AnswerDirectlyAsync(RpcInvocation call, IReadOnlyList<MsgPackValue> args, Dictionary<string, MsgPackValue> kwargs)
    {
        var result = await LocalInvoker.InvokeAsync(_host.Dispatcher, AskBuiltin.NodeName, args, kwargs, call.CancellationToken).ConfigureAwait(false);
        call.CompleteWith(result);
    }

    private async Task RunAskAsync(SwarmBroadcast broadcast, MsgPackValue task, IReadOnlyList<MsgPackValue> args, Dictionary<string, MsgPackValue> kwargs)
    {
        var (nonce, origin) = (broadcast.Nonce, broadcast.Origin);
        await EmitAsync(nonce, "ack", SwarmConversationEvent.EmptyMap, nonce, origin).ConfigureAwait(false);
        MsgPackValue result;
        try
        {
            result = await LocalInvoker.InvokeAsync(_host.Dispatcher, AskBuiltin.NodeName, args, kwargs, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            SwarmLog.TaskFailed(_logger, e, nonce);
            await EmitAsync(nonce, "error", MsgPackValue.Map(("task", task), ("error", e.Message)), nonce, origin).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await ReplyAsync(broadcast, result).ConfigureAwait(false);
    }

    /// <summary>
    /// A received reply. For one of this node's pending asks it must come from an asked peer (others are ignored) and
    /// be at most <see cref="SwarmOptions.MaxReplyBytes"/>; any other conversation's reply is stored and forwarded.
    /// </summary>
    private void ReceiveReply(string nonce, SwarmPeer replier, MsgPackValue result, long size)
    {
        var pending = _pendingAsks.Find(nonce);
        if (pending is not null && !pending.WasAsked(replier.Id))
        {
            return;
        }

        if (pending is not null && size > Options.MaxReplyBytes)
        {
            pending.Settle(replier.Id, SwarmAskOutcome.Failed, null, $"reply too large: {size} > {Options.MaxReplyBytes} bytes");
            return;
        }

        if (StoreReply(nonce, replier, result, forward: true))
        {
            pending?.Settle(replier.Id, SwarmAskOutcome.Replied, result, null);
        }
    }

    /// <summary>Stores a <c>reply</c> event once per (nonce, peer), forwarding it when asked to.</summary>
    /// <returns>Whether it was the peer's first reply.</returns>
    private bool StoreReply(string nonce, SwarmPeer replier, MsgPackValue result, bool forward)
    {
        if (!Conversations.TryAddReply(nonce, replier.Id))
        {
            return false;
        }

        Conversations.TryAdd(OwnSigned(SwarmConversationEvent.Create(nonce, "reply", replier, MsgPackValue.Map(("result", result)), nonce, Membership.Now)));
        Raise(BroadcastReplied, new SwarmReplyEventArgs(new SwarmReply(nonce, replier, result)), "broadcast.reply");
        if (forward)
        {
            Forward(SwarmEndpoints.BroadcastReply, [nonce, replier.ToMsgPack()], new Dictionary<string, MsgPackValue> { ["result"] = result }, replier.Id);
        }

        return true;
    }

    /// <summary>Sends a call to every known peer except <paramref name="except"/>, in the background.</summary>
    private void Forward(string endpoint, IReadOnlyList<MsgPackValue> args, IReadOnlyDictionary<string, MsgPackValue>? kwargs, string except)
    {
        if (Membership.Peers.Any(p => p.Id != except))
        {
            _ = Task.Run(() => SendAsync(endpoint, args, kwargs, null, except), CancellationToken.None);
        }
    }

    /// <summary>Sends to <paramref name="first"/> (if any) and every known peer, once each, skipping self and <paramref name="except"/>; failures are logged.</summary>
    private Task SendAsync(string endpoint, IReadOnlyList<MsgPackValue> args, IReadOnlyDictionary<string, MsgPackValue>? kwargs, SwarmPeer? first, string? except)
    {
        var targets = (first is null ? Membership.Peers : Membership.Peers.Prepend(first))
            .Where(p => p.Id != Membership.SelfId && p.Id != except)
            .DistinctBy(p => p.Id, StringComparer.Ordinal);
        return Task.WhenAll(targets.Select(async peer =>
        {
            try
            {
                await CallAsync(peer.Address, peer.Port, endpoint, args, kwargs, _stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                SwarmLog.CallFailed(_logger, e, endpoint, $"{peer.Address}:{peer.Port}");
            }
            catch (OperationCanceledException)
            {
            }
        }));
    }
}
