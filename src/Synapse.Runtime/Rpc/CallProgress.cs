namespace Synapse.Rpc;

/// <summary>A call's progress, closed when its response is built (before the response is queued).</summary>
internal interface ICallProgress
{
    void Close();
}

/// <summary>
/// Progress reports of one call, sent as <c>{"type": "progress"}</c> frames. One frame at a time is on its way: a
/// report made meanwhile waits, and a newer one replaces it (the latest progress is what matters), so a handler that
/// reports in a tight loop neither floods the connection nor waits for it.
/// </summary>
internal sealed class CallProgress<TValue>(IStreamSink sink, byte[] idToken, RpcItemWriter<TValue> write) : IProgress<TValue>, ICallProgress
{
    private readonly Lock _gate = new();
    private bool _sending;
    private bool _closed;
    private bool _hasLatest;
    private TValue _latest = default!;

    public void Report(TValue value)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if (_sending)
            {
                (_latest, _hasLatest) = (value, true);
                return;
            }

            _sending = true;
        }

        Send(value);
    }

    /// <summary>Ends the reports: the latest one still waiting is sent now, ahead of the response about to be queued.</summary>
    public void Close()
    {
        TValue last;
        lock (_gate)
        {
            var pending = _hasLatest && !_closed;
            last = _latest;
            Forget();
            if (!pending)
            {
                return;
            }
        }

        Send(last);
    }

    private void Send(TValue value)
    {
        StreamItemFrame frame;
        try
        {
            frame = StreamItemFrame.Encode(idToken, "progress"u8, value, write, sink.PeerMaxFrameSize, Written);
        }
        catch (RpcException)
        {
            Written(); // too large for the caller: this report is dropped, the next may fit
            return;
        }

        if (!sink.TrySend(frame))
        {
            frame.Dispose();
            lock (_gate)
            {
                Forget(); // the connection is closing
            }
        }
    }

    /// <summary>No more reports: what waits is dropped (called under the lock).</summary>
    private void Forget() => (_closed, _hasLatest, _latest) = (true, false, default!);

    private void Written()
    {
        TValue next;
        lock (_gate)
        {
            if (_closed || !_hasLatest)
            {
                _sending = false;
                return;
            }

            (next, _hasLatest, _latest) = (_latest, false, default!);
        }

        Send(next);
    }
}

/// <summary>Progress that goes nowhere: a call on a connection that cannot carry reports.</summary>
internal sealed class NoProgress<TValue> : IProgress<TValue>
{
    public static readonly NoProgress<TValue> Instance = new();

    public void Report(TValue value)
    {
    }
}
