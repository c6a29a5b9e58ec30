using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Synapse.Crypto.Noise;
using Synapse.Rpc;
using Synapse.Transport.Framing;

namespace Synapse.Transport.Secure;

/// <summary>
/// A connection encrypted and authenticated by a completed Noise session. What the application writes is cut into
/// Noise transport messages of at most <see cref="NoiseTransport.MaxPlaintextLength"/> bytes, each sent in one of our
/// 4-byte length-prefixed frames; what arrives is decrypted into <see cref="Pipe"/>. Nonces advance per message and
/// are never reused; a message that fails authentication closes the link and reports why.
/// </summary>
internal sealed class SecureConnection : ITransportConnection, IDuplexPipe
{
    private const int MaxCiphertextFrame = NoiseTransport.MaxMessageLength;

    private static readonly PipeOptions PumpOptions = new(
        readerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 1024 * 1024,
        resumeWriterThreshold: 512 * 1024,
        useSynchronizationContext: false);

    private readonly ITransportConnection _inner;
    private readonly NoiseSession _session;
    private readonly Action<string>? _onFailure;
    // The application's reader resumes inline: decrypted bytes reach it on the receiving thread, with no
    // further thread-pool hop.
    private readonly Pipe _inbound = new(PumpOptions);
    private readonly EncryptingPipeWriter _output;
    private readonly Task _receiving;
    private int _disposed;

    public SecureConnection(ITransportConnection inner, NoiseSession session, Action<string>? onFailure)
    {
        _inner = inner;
        _session = session;
        _onFailure = onFailure;
        PeerId = session.PeerId.ToString();
        _output = new EncryptingPipeWriter(inner.Pipe.Output, session);
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public IDuplexPipe Pipe => this;

    public PipeReader Input => _inbound.Reader;

    public PipeWriter Output => _output;

    public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

    public string? PeerId { get; }

    public void Abort() => _inner.Abort();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _inbound.Reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _output.CompleteAsync().ConfigureAwait(false); // flushes what the application wrote, then completes the inner output
        }
        catch (Exception e) when (LinkLoss.Is(e) || e is NoiseException)
        {
            _output.Complete(e);
        }
        _inner.Pipe.Input.CancelPendingRead(); // stop receiving without resetting the link: the last frames must arrive
        await _receiving.ConfigureAwait(false);
        await _inner.DisposeAsync().ConfigureAwait(false);
        _session.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var input = _inner.Pipe.Input;
        var output = _inbound.Writer;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (Frames.TryTakeFrame(ref buffer, MaxCiphertextFrame, out var frame))
                {
                    Decrypt(frame, output);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled || flush.IsCompleted)
                {
                    if (result.IsCompleted && !buffer.IsEmpty)
                    {
                        throw new NoiseException("the link closed in the middle of an encrypted frame");
                    }

                    break;
                }
            }
        }
        catch (Exception e) when (e is NoiseException or RpcException)
        {
            failure = e; // a frame that fails authentication, or one larger than any Noise message
            _onFailure?.Invoke($"secure link from {RemoteEndPoint} closed: {e.Message}");
            _inner.Abort();
        }
        catch (Exception e) when (LinkLoss.Is(e))
        {
            failure = e is InvalidOperationException ? null : e;
        }

        await output.CompleteAsync(failure is null ? null : new IOException(failure.Message, failure)).ConfigureAwait(false);
    }

    private void Decrypt(ReadOnlySequence<byte> frame, PipeWriter output)
    {
        if (frame.IsSingleSegment)
        {
            _session.DecryptFrame(frame.FirstSpan, output);
            return;
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)frame.Length);
        try
        {
            frame.CopyTo(copy);
            _session.DecryptFrame(copy.AsSpan(0, (int)frame.Length), output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
