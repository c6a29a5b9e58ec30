using System.IO.Pipelines;
using Synapse.Transport;

namespace Synapse.Hosting;

/// <summary>
/// What a connection is served over: the accepted transport, or the secure link wrapped around it once a Noise
/// handshake succeeded. The input is taken once, when the link is made.
/// </summary>
internal sealed class ConnectionLink(ITransportConnection transport, bool secure)
{
    public ITransportConnection Transport { get; } = transport;

    public PipeReader Input { get; } = transport.Pipe.Input;

    /// <summary>Whether the link is a Noise secure link (the peer's agent id is proved).</summary>
    public bool Secure { get; } = secure;
}
