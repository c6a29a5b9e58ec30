using Synapse.Transport.Framing;

namespace Synapse.Rpc;

/// <summary>Where a call's stream items and progress reports go: the multiplexed connection it came on.</summary>
internal interface IStreamSink
{
    /// <summary>The largest frame the caller accepts.</summary>
    int PeerMaxFrameSize { get; }

    /// <summary>Whether the caller said, in its hello, that it takes progress reports.</summary>
    bool TakesProgress { get; }

    /// <summary>Registers the call by its id before its first item, so the caller's credit and cancel notices find it.</summary>
    void Track(RpcInvocation invocation);

    /// <summary>Queues an item frame behind what the connection sends already; false when the connection is closing.</summary>
    bool TrySend(IOutboundFrame frame);
}
