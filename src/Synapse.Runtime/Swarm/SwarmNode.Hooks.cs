using Synapse.Rpc;

namespace Synapse.Swarm;

/// <summary>
/// synapse-p2p's lifecycle hooks (<c>@node.on(event)</c>) as .NET events: peers joined and offline
/// (<see cref="SwarmMembership.PeerOnline"/>, <see cref="SwarmMembership.PeerOffline"/>), <see cref="PeerHeartbeat"/>,
/// <see cref="BroadcastReceived"/>, <see cref="BroadcastReplied"/>, every stored event
/// (<see cref="SwarmConversations.EventStored"/>) or those of one kind (<see cref="OnConversationEvent"/>),
/// <see cref="ConversationCompacted"/> and <see cref="ConversationsPruned"/>. A handler that throws is logged; the
/// node goes on.
/// </summary>
public sealed partial class SwarmNode
{
    private readonly Dictionary<string, Action<SwarmConversationEvent>[]> _kindHandlers = new(StringComparer.Ordinal);

    /// <summary>Raised when a member's heartbeat arrives.</summary>
    public event EventHandler<SwarmPeerEventArgs>? PeerHeartbeat;

    /// <summary>
    /// Calls <paramref name="handler"/> for each newly stored conversation event of <paramref name="kind"/>
    /// (synapse-p2p's <c>conversation.&lt;kind&gt;</c> hook), gossiped, synced or this node's own.
    /// </summary>
    /// <param name="kind">The event kind, such as <c>reply</c> or <c>task.done</c>.</param>
    /// <param name="handler">Runs on the thread that stored the event; keep it short.</param>
    /// <returns>Disposing it removes the handler.</returns>
    public IDisposable OnConversationEvent(string kind, Action<SwarmConversationEvent> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_kindHandlers)
        {
            _kindHandlers[kind] = [.. _kindHandlers.GetValueOrDefault(kind) ?? [], handler];
        }

        return new Subscription(() =>
        {
            lock (_kindHandlers)
            {
                var left = (_kindHandlers.GetValueOrDefault(kind) ?? []).Where(h => h != handler).ToArray();
                if (left.Length == 0)
                {
                    _kindHandlers.Remove(kind);
                }
                else
                {
                    _kindHandlers[kind] = left;
                }
            }
        });
    }

    private void DispatchByKind(object? sender, SwarmConversationEvent stored)
    {
        Action<SwarmConversationEvent>[]? handlers;
        lock (_kindHandlers)
        {
            handlers = _kindHandlers.GetValueOrDefault(stored.Kind);
        }

        foreach (var handler in handlers ?? [])
        {
            try
            {
                handler(stored);
            }
            catch (Exception e)
            {
                SwarmLog.HookFailed(_logger, e, "conversation." + stored.Kind);
            }
        }
    }

    /// <summary>Raises a hook, logging what a handler throws.</summary>
    private void Raise<T>(EventHandler<T>? hook, T args, string name)
    {
        if (hook is null)
        {
            return;
        }

        foreach (var handler in hook.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                handler(this, args);
            }
            catch (Exception e)
            {
                SwarmLog.HookFailed(_logger, e, name);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
