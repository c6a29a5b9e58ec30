using Synapse.MessagePack;

namespace Synapse.Swarm;

/// <summary>The asks this node started and still waits on, by nonce; at most <c>max</c> at once. Thread-safe.</summary>
internal sealed class SwarmPendingAsks(int max)
{
    private readonly Dictionary<string, SwarmPendingAsk> _asks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Starts tracking an ask of <paramref name="peers"/>; <paramref name="report"/> is told of each step.</summary>
    /// <exception cref="InvalidOperationException"><c>max</c> asks are already pending.</exception>
    public SwarmPendingAsk Add(string nonce, IReadOnlyList<SwarmPeer> peers, Action<SwarmAskUpdate>? report = null)
    {
        var ask = new SwarmPendingAsk(nonce, peers, report);
        lock (_lock)
        {
            if (_asks.Count >= max)
            {
                throw new InvalidOperationException($"{max} swarm asks are already pending (SwarmOptions.MaxPendingAsks)");
            }

            _asks.Add(nonce, ask);
        }

        return ask;
    }

    /// <summary>Stops tracking <paramref name="nonce"/>.</summary>
    public void Remove(string nonce)
    {
        lock (_lock)
        {
            _asks.Remove(nonce);
        }
    }

    /// <summary>The pending ask of <paramref name="nonce"/>; <c>null</c> when the conversation is not one of this node's pending asks.</summary>
    public SwarmPendingAsk? Find(string nonce)
    {
        lock (_lock)
        {
            return _asks.GetValueOrDefault(nonce);
        }
    }
}

/// <summary>One pending ask: which peers were asked and what each has answered so far. Thread-safe.</summary>
internal sealed class SwarmPendingAsk
{
    private readonly SwarmPeer[] _peers;
    private readonly SwarmAskOutcome?[] _outcomes;
    private readonly bool[] _acknowledged;
    private readonly MsgPackValue?[] _results;
    private readonly string?[] _errors;
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Action<SwarmAskUpdate>? _report;
    private int _open;

    public SwarmPendingAsk(string nonce, IReadOnlyList<SwarmPeer> peers, Action<SwarmAskUpdate>? report = null)
    {
        Nonce = nonce;
        _report = report;
        _peers = [.. peers];
        _outcomes = new SwarmAskOutcome?[_peers.Length];
        _acknowledged = new bool[_peers.Length];
        _results = new MsgPackValue?[_peers.Length];
        _errors = new string?[_peers.Length];
        _open = _peers.Length;
        if (_open == 0)
        {
            _settled.TrySetResult();
        }
    }

    public string Nonce { get; }

    /// <summary>The asked peers, in asking order.</summary>
    public IReadOnlyList<SwarmPeer> Peers => _peers;

    /// <summary>Completes when every asked peer has replied, failed or been found unreachable.</summary>
    public Task Settled => _settled.Task;

    /// <summary>Whether <paramref name="peerId"/> was asked.</summary>
    public bool WasAsked(string peerId) => IndexOf(peerId) >= 0;

    /// <summary>Reports <see cref="SwarmAskUpdateKind.Asked"/> for every asked peer, in asking order.</summary>
    public void ReportAsked()
    {
        foreach (var peer in _peers)
        {
            _report?.Invoke(new SwarmAskUpdate(Nonce, peer, SwarmAskUpdateKind.Asked));
        }
    }

    /// <summary>Records an asked peer's <c>ack</c>, reporting the first.</summary>
    public void Acknowledge(string peerId)
    {
        var index = IndexOf(peerId);
        if (index < 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_acknowledged[index])
            {
                return;
            }

            _acknowledged[index] = true;
        }

        _report?.Invoke(new SwarmAskUpdate(Nonce, _peers[index], SwarmAskUpdateKind.Acknowledged));
    }

    /// <summary>
    /// Records how an asked peer's part ended. The first reply or failure is final; an unreachable verdict (the call
    /// failed) is replaced by a reply or failure that still arrives.
    /// </summary>
    public void Settle(string peerId, SwarmAskOutcome outcome, MsgPackValue? result, string? error)
    {
        var index = IndexOf(peerId);
        if (index < 0)
        {
            return;
        }

        lock (_lock)
        {
            var current = _outcomes[index];
            if (current is not null && (current != SwarmAskOutcome.Unreachable || outcome == SwarmAskOutcome.Unreachable))
            {
                return;
            }

            (_outcomes[index], _results[index], _errors[index]) = (outcome, result, error);
            if (current is null && --_open == 0)
            {
                _settled.TrySetResult();
            }
        }

        _report?.Invoke(new SwarmAskUpdate(Nonce, _peers[index], Kind(outcome), result, error));
    }

    private static SwarmAskUpdateKind Kind(SwarmAskOutcome outcome) => outcome switch
    {
        SwarmAskOutcome.Replied => SwarmAskUpdateKind.Replied,
        SwarmAskOutcome.Failed => SwarmAskUpdateKind.Failed,
        _ => SwarmAskUpdateKind.Unreachable,
    };

    /// <summary>The answers so far; peers with nothing final are <see cref="SwarmAskOutcome.TimedOut"/>.</summary>
    public SwarmAskResult Snapshot()
    {
        lock (_lock)
        {
            var answers = new SwarmAskAnswer[_peers.Length];
            for (var i = 0; i < answers.Length; i++)
            {
                answers[i] = new SwarmAskAnswer(_peers[i], _outcomes[i] ?? SwarmAskOutcome.TimedOut, _acknowledged[i], _results[i], _errors[i]);
            }

            return new SwarmAskResult(Nonce, answers);
        }
    }

    private int IndexOf(string peerId) => Array.FindIndex(_peers, p => string.Equals(p.Id, peerId, StringComparison.Ordinal));
}
