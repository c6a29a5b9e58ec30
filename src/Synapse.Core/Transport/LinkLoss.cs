using System.Net.Sockets;

namespace Synapse.Transport;

/// <summary>
/// The one answer to "did this operation fail because the link went away?", shared by every reader, writer and
/// accept loop, so that a peer closing or resetting its connection ends a loop quietly everywhere alike.
/// </summary>
public static class LinkLoss
{
    /// <summary>
    /// Whether <paramref name="exception"/> means the link is gone: the peer closed or reset it
    /// (<see cref="IOException"/>, <see cref="SocketException"/>), or this side already disposed the socket or
    /// stream (<see cref="ObjectDisposedException"/>) or completed its pipe (<see cref="InvalidOperationException"/>,
    /// which pipes throw on a read or write after completion). Anything else is a fault and must be reported. A
    /// failure to connect is another question (a reconnect loop decides which of those are ordinary).
    /// </summary>
    /// <param name="exception">The exception an I/O operation threw.</param>
    public static bool Is(Exception exception) =>
        exception is IOException or SocketException or ObjectDisposedException or InvalidOperationException;
}
