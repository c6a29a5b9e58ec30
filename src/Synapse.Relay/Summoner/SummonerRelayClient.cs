using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Transport;

namespace Synapse.Relay.Summoner;

/// <summary>
/// A C# agent on a Summoner relay (Python or Rust server, or Synapse's Summoner listener): plain TCP, one JSON line per
/// message. Sends typed lines as a Summoner 1.3.0 client does and hands every relayed line (and server notice) to the
/// handlers. Unlike Summoner's client, an oversized line is dropped instead of ending the client, a throwing handler is
/// logged and isolated, and the retry budget is restored by a healthy connection instead of counting every drop ever.
/// </summary>
public sealed class SummonerRelayClient : IAsyncDisposable
{
    private readonly SummonerRelayClientOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _queue;
    private readonly ReconnectLoop<Socket> _loop;
    private Func<SummonerMessage, CancellationToken, ValueTask>[] _handlers = [];
    private EndPoint? _current;
    private volatile bool _gaveUp;
    private int _disposed;

    /// <summary>Creates the client; <see cref="StartAsync"/> connects it.</summary>
    /// <param name="options">Relays, backoff, limits.</param>
    /// <param name="loggerFactory">Where connection events, dropped lines and handler failures are logged (category <c>Synapse.Relay.Summoner.SummonerRelayClient</c>); nowhere when <c>null</c>.</param>
    public SummonerRelayClient(SummonerRelayClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = LoggerFactory.CreateLogger(typeof(SummonerRelayClient).FullName!);
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.SendQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = new ReconnectLoop<Socket>(
            new ReconnectLoopOptions
            {
                Name = "Summoner client",
                Endpoints = options.Relays,
                Backoff = options.Backoff,
                ConnectTimeout = options.ConnectTimeout,
                TimeProvider = options.TimeProvider,
                Logger = _logger,
            },
            new ReconnectSteps<Socket>
            {
                ConnectAsync = ConnectAsync,
                Connected = OnConnected,
                RunAsync = RunSessionAsync,
                Disconnected = _ => Volatile.Write(ref _current, null),
                GaveUp = OnGaveUp,
            });
    }

    /// <summary>Where this client's logs go; flows run over it (<see cref="SummonerRelayClientFlows"/>) log there too.</summary>
    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>The relay connected now, or null.</summary>
    public EndPoint? CurrentRelay => Volatile.Read(ref _current);

    /// <summary>Lines waiting to be written.</summary>
    public int QueuedCount => _queue.Reader.Count;

    /// <summary>Registers a handler for received lines (messages and notices). Handlers run one after another in arrival order.</summary>
    public void OnMessage(Func<SummonerMessage, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_queue)
        {
            _handlers = [.. _handlers, handler];
        }
    }

    /// <summary>Starts connecting in the background (see <see cref="WaitConnectedAsync"/>).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _loop.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits until a relay connection is up. Throws <see cref="InvalidOperationException"/> once the retry budget is
    /// spent, and is cancelled when the client is disposed.
    /// </summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken = default) =>
        _loop.WaitConnectedAsync(cancellationToken);

    /// <summary>
    /// Queues <paramref name="payload"/> as one typed line (<see cref="SummonerWire.WrapPayload"/>); it is written as soon
    /// as a relay is connected. Like Summoner, delivery is at most once: lines the relay received are not acknowledged.
    /// </summary>
    /// <exception cref="SummonerSendQueueFullException">The queue holds <see cref="SummonerRelayClientOptions.SendQueueCapacity"/> lines.</exception>
    /// <exception cref="InvalidOperationException">The client gave up reconnecting.</exception>
    public ValueTask SendAsync(JsonNode? payload, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var line = SummonerWire.WrapPayload(payload, _options.Version);
        if (!_queue.Writer.TryWrite(line))
        {
            if (_gaveUp)
            {
                throw new InvalidOperationException("The Summoner client gave up reconnecting.");
            }

            throw new SummonerSendQueueFullException(_options.SendQueueCapacity);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Disconnects; queued lines are discarded.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _loop.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
    }

    private async Task<Socket?> ConnectAsync(int relayIndex, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_options.Relays[relayIndex], cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void OnConnected(Socket socket, int relayIndex)
    {
        var relay = _options.Relays[relayIndex];
        Volatile.Write(ref _current, relay);
        SummonerClientLog.Connected(_logger, relay, QueuedCount);
    }

    private void OnGaveUp()
    {
        _gaveUp = true;
        _queue.Writer.TryComplete();
    }

    private async Task RunSessionAsync(Socket socket, CancellationToken stopping)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var stream = new NetworkStream(socket, ownsSocket: true);
        await using (stream.ConfigureAwait(false))
        {
            var lines = new LineReader(stream, _options.MaxLineBytes)
            {
                OnLine = DeliverAsync,
                OnOversized = length => SummonerClientLog.LineOversized(_logger, length, _options.MaxLineBytes),
            };
            var reading = Guard(lines.RunAsync(session.Token));
            var writing = Guard(WriteLoopAsync(stream, session.Token));
            await Task.WhenAny(reading, writing).ConfigureAwait(false);
            await session.CancelAsync().ConfigureAwait(false);
            socket.Close(); // unblocks a read or write in progress
            await Task.WhenAll(reading, writing).ConfigureAwait(false);
        }
    }

    private async Task Guard(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (LinkLoss.Is(e) || e is OperationCanceledException)
        {
            SummonerClientLog.ConnectionEnded(_logger, e.Message);
        }
    }

    private async Task WriteLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        var queue = _queue.Reader;
        while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (queue.TryPeek(out var line))
            {
                await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                queue.TryRead(out _); // only once written: a line whose write failed is sent again after reconnecting
            }
        }
    }

    private async ValueTask DeliverAsync(ReadOnlySequence<byte> line)
    {
        if (!TryParse(line, out var message))
        {
            SummonerClientLog.LineIgnored(_logger, line.Length);
            return;
        }

        if (message.IsNotice)
        {
            SummonerClientLog.Notice(_logger, message.Text);
        }

        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                await handler(message, _loop.Stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_loop.Stopping.IsCancellationRequested)
            {
                SummonerClientLog.HandlerFailed(_logger, e, message);
            }
        }
    }

    private static bool TryParse(ReadOnlySequence<byte> line, out SummonerMessage message)
    {
        if (line.IsSingleSegment)
        {
            return SummonerWire.TryParseRelayLine(line.FirstSpan, out message);
        }

        var length = checked((int)line.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(rented);
            return SummonerWire.TryParseRelayLine(rented.AsSpan(0, length), out message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
