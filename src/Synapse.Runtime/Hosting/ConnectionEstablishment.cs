using System.Buffers;
using System.IO.Pipelines;
using Synapse.Crypto.Noise;
using Synapse.Transport.Framing;
using Synapse.Transport.Secure;

namespace Synapse.Hosting;

/// <summary>
/// The start of a connection, before any request: the first frame's bytes decide whether it opens a secure handshake
/// (<see cref="SecureLink.Magic"/>), which is answered so the connection continues encrypted, or is plaintext, served
/// only as the <see cref="SecureLinkPolicy"/> allows. One deadline, <see cref="AgentHostOptions.HandshakeTimeout"/>,
/// covers both the first bytes and the handshake: a connection that has proved nothing is not held longer (nor past
/// <see cref="AgentHostOptions.MaxPendingConnections"/>, see <see cref="ConnectionAdmission{T}"/>).
/// </summary>
internal static class ConnectionEstablishment
{
    /// <summary>
    /// Returns the link to serve requests over, or <c>null</c> when the connection is done (silent, refused, or the
    /// handshake failed). Nothing is consumed on the plaintext path.
    /// </summary>
    public static async Task<ConnectionLink?> EstablishAsync(AgentHost host, ConnectionLink accepted, CancellationToken aborted)
    {
        var options = host.Options;
        var input = accepted.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(options.HandshakeTimeout);
        bool handshake;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                HostLog.FirstBytesTimeout(host.Logger, accepted.Transport.RemoteEndPoint, options.HandshakeTimeout);
                return null;
            }

            var decided = StartsHandshake(result.Buffer);
            if (decided is not null || result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(result.Buffer.Start);
                handshake = decided ?? false;
                break;
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        if (!handshake)
        {
            if (options.SecureLinks == SecureLinkPolicy.Required)
            {
                await LingeringClose.RejectAsync(accepted, outbox: null, options.WriteTimeout, host.Logger, "secure link required: this host accepts only Noise connections").ConfigureAwait(false);
                return null;
            }

            return accepted;
        }

        if (!host.Admission.HasRoom)
        {
            // Refused before the handshake costs anything, in plaintext, as a busy host always answered it.
            await host.RefuseBusyAsync(accepted).ConfigureAwait(false);
            return null;
        }

        try
        {
            var logger = host.Logger;
            var secure = await SecureLink.AcceptAsync(accepted.Transport, host.Credential, reason => HostLog.ConnectionRejected(logger, null, reason), timeout.Token).ConfigureAwait(false);
            return new ConnectionLink(secure, secure: true);
        }
        catch (Exception e) when (e is NoiseException || (e is OperationCanceledException && !aborted.IsCancellationRequested))
        {
            HostLog.ConnectionRejected(host.Logger, accepted.Transport.RemoteEndPoint, $"secure handshake failed: {e.Message}");
            return null;
        }
    }

    /// <summary>true/false once the first frame's bytes decide whether it opens a handshake; null while undecided.</summary>
    public static bool? StartsHandshake(ReadOnlySequence<byte> buffer)
    {
        if (!Frames.TryPeekLength(buffer, out var length))
        {
            return null;
        }

        if (length < SecureLink.Magic.Length || length > SecureLink.MaxFirstFrame)
        {
            return false;
        }

        var available = (int)Math.Min(buffer.Length - Frames.HeaderSize, SecureLink.Magic.Length);
        Span<byte> prefix = stackalloc byte[16];
        buffer.Slice(Frames.HeaderSize, available).CopyTo(prefix);
        if (!prefix[..available].SequenceEqual(SecureLink.Magic[..available]))
        {
            return false;
        }

        return available == SecureLink.Magic.Length ? true : null;
    }
}
