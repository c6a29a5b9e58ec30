using Microsoft.Extensions.Logging;
using Synapse.Client;
using Synapse.Hosting;
using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>
/// A host's membership in a synapse-p2p v2 swarm: joins through the seeds, heartbeats every known peer, reaps silent
/// ones, answers the swarm built-ins and asks the swarm (<see cref="AskAsync"/>). Created by each <see cref="Hosting.AgentHost"/> that
/// starts with <c>AgentHostOptions.SwarmNode</c> set (<see cref="SwarmHostingExtensions"/>).
/// </summary>
public sealed partial class SwarmNode
{
    private readonly Hosting.AgentHost _host;
    private readonly SwarmPeer _self;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<bool> _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _firstJoinAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private CancellationToken _stopping;

    internal SwarmNode(Hosting.AgentHost host, SwarmOptions options, SwarmPeer self)
    {
        _host = host;
        Options = options;
        Conversations = new SwarmConversations(options);
        Conversations.EventStored += CompactIfLong;
        Conversations.EventStored += DispatchByKind;
        _self = self;
        _logger = host.LoggerFactory.CreateLogger(typeof(SwarmNode).FullName!);
        Membership = new SwarmMembership(self.Id, options.Swarm, options.Team);
        _pendingAsks = new SwarmPendingAsks(options.MaxPendingAsks);
        Lan = CreateLan(options, self);
        if (options.Seeds.Count == 0)
        {
            _joined.TrySetResult(true);
            _firstJoinAttempt.TrySetResult(true);
        }
    }

    /// <summary>The settings in use.</summary>
    public SwarmOptions Options { get; }

    /// <summary>The node's log, for what runs on it (teams, workers).</summary>
    internal ILogger Logger => _logger;

    /// <summary>The known peers.</summary>
    public SwarmMembership Membership { get; }

    /// <summary>This node as a Peer, last seen now.</summary>
    public SwarmPeer Self => _self with { LastSeen = Membership.Now };

    /// <summary>Completes when a seed has accepted this node (at once when there are no seeds).</summary>
    public Task Joined => _joined.Task;

    /// <summary>
    /// Whether the join the node makes through its seeds when the host starts succeeded (<c>true</c> at once when
    /// there are no seeds). Unlike <see cref="Joined"/>, it also completes when no seed accepted (<c>false</c>; the
    /// node then retries every <see cref="SwarmOptions.HeartbeatInterval"/>, when set), so a caller can tell at once
    /// that the seeds refused or were unreachable. Canceled when the host stops before the attempt ends.
    /// </summary>
    public Task<bool> FirstJoinAttempt => _firstJoinAttempt.Task;

    internal void Start(CancellationToken stopping)
    {
        _stopping = stopping;
        _loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);
        if (Lan is { } lan)
        {
            _lanLoop = Task.Run(() => RunLanAsync(lan, stopping), CancellationToken.None);
        }

        if (Options.ConversationRetention is { } retention)
        {
            _pruneLoop = Task.Run(() => PruneAsync(retention, stopping), CancellationToken.None);
        }
    }

    /// <summary>Joins through each seed in turn until one accepts.</summary>
    /// <returns>Whether a seed accepted.</returns>
    public async Task<bool> JoinAsync(CancellationToken cancellationToken = default)
    {
        foreach (var seed in Options.Seeds)
        {
            var (host, port) = SwarmOptions.ParseSeed(seed);
            try
            {
                var answer = await CallAsync(host, port, SwarmEndpoints.Join, [Self.ToMsgPack()], null, cancellationToken).ConfigureAwait(false);
                if (answer["accepted"] is { Type: MsgPackType.Boolean } accepted && accepted.AsBoolean())
                {
                    AddFromAnswer(answer);
                    _joined.TrySetResult(true);
                    return true;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                SwarmLog.CallFailed(_logger, e, SwarmEndpoints.Join, seed);
            }
        }

        return false;
    }

    /// <summary>Sends one heartbeat to every known peer, then reaps the silent ones.</summary>
    public async Task HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        var self = Self.ToMsgPack();
        await Task.WhenAll(Membership.Peers.Select(peer => HeartbeatAsync(peer, self, cancellationToken))).ConfigureAwait(false);
        Membership.Reap(Options.PeerTimeout);
    }

    private async Task HeartbeatAsync(SwarmPeer peer, MsgPackValue self, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(peer.Address, peer.Port, SwarmEndpoints.Heartbeat, [self], null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SwarmLog.CallFailed(_logger, e, SwarmEndpoints.Heartbeat, $"{peer.Address}:{peer.Port}");
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            _firstJoinAttempt.TrySetResult(await JoinAsync(stopping).ConfigureAwait(false));
            if (Options.HeartbeatInterval is not { } interval)
            {
                return;
            }

            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                if (!Joined.IsCompleted)
                {
                    await JoinAsync(stopping).ConfigureAwait(false);
                }

                await HeartbeatAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _firstJoinAttempt.TrySetCanceled(); // stopped (or failed) before the first attempt ended: it has no outcome
        }
    }

    private void AddFromAnswer(MsgPackValue answer)
    {
        if (answer["self"] is { Type: MsgPackType.Map } seed)
        {
            Membership.Touch(SwarmPeer.FromMsgPack(seed));
        }

        if (answer["peers"] is { Type: MsgPackType.Array } peers)
        {
            foreach (var peer in peers.AsArray())
            {
                Membership.Touch(SwarmPeer.FromMsgPack(peer));
            }
        }
    }

    /// <summary>
    /// One plaintext synapse-p2p call (one connection), bounded by <see cref="SwarmOptions.CallTimeout"/>; a peer
    /// that advertised one of this machine's addresses is dialled on loopback.
    /// </summary>
    internal async Task<MsgPackValue> CallAsync(string host, int port, string endpoint, IReadOnlyList<MsgPackValue> args, IReadOnlyDictionary<string, MsgPackValue>? kwargs, CancellationToken cancellationToken)
    {
        var options = new SynapseClientOptions
        {
            Mode = ConnectionMode.PerCall,
            Security = LinkSecurity.Disabled,
            CallTimeout = Options.CallTimeout,
            ConnectTimeout = Options.CallTimeout,
            WriteTimeout = Options.CallTimeout,
        };
        await using var client = new SynapseClient(ReachableAddress.Connect(host), port, options, _host.LoggerFactory);
        return await client.CallAsync(endpoint, args, kwargs, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
