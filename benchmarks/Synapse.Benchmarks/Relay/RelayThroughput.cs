using System.Net;
using Synapse.Crypto.Noise;
using Synapse.Envelopes;
using Synapse.Identity;
using Synapse.Relay;
using Synapse.Relay.Configuration;
using Synapse.Relay.Logging;
using Synapse.Relay.Server;
using Synapse.Transport;
using Synapse.Transport.Framing;
using Synapse.Transport.Secure;

namespace Synapse.Benchmarks.Relay;

/// <summary>
/// Messages per second through a real relay on loopback: one sender and N receivers on secure links. Envelopes are
/// sealed before the run (a pool reused round-robin), so the figure is the relay's and the links', not sealing's.
/// One receiver: direct messages, confirmed by the receiver. More: a room every receiver joined.
/// </summary>
internal sealed class RelayThroughput : IAsyncDisposable
{
    private const int PoolSize = 1024;
    private readonly List<ITransportConnection> _links = [];
    private readonly List<IDisposable> _disposables = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private RelayServer? _relay;
    private RelayServer? _receiverRelay;

    public static RelayOptions BenchmarkOptions => new()
    {
        Host = "127.0.0.1",
        Port = 0,
        Logger = new RelayLogOptions { EnableConsoleLog = false },
        RateLimitMessagesPerMinute = int.MaxValue / 2,
        Backpressure = new BackpressurePolicy { EnableThrottle = false, EnableDisconnect = false },
        MaxQueueBytesPerClient = 1L << 30,
        Mailbox = new MailboxOptions { MaxMessages = 100_000, MaxBytes = 1L << 30 },
    };

    /// <param name="backplane">With a broker: relays use the RabbitMQ backplane.</param>
    /// <param name="crossRelay">Receivers connect to a second relay sharing the broker.</param>
    public static async Task<(double MessagesPerSecond, byte[] SendFrame)> MeasureAsync(int receivers, int payloadSize, TimeSpan warmup, TimeSpan duration, BackplaneOptions? backplane = null, bool crossRelay = false)
    {
        await using var run = new RelayThroughput();
        return await run.RunAsync(receivers, payloadSize, warmup, duration, backplane, crossRelay);
    }

    private static RelayServer CreateRelay(BackplaneOptions? backplane)
    {
        var options = BenchmarkOptions with { Backplane = backplane };
        return new RelayServer(options, backplane: backplane is null ? null : new Synapse.Relay.RabbitMQ.RabbitMqBackplane(options));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var link in _links)
        {
            await link.DisposeAsync();
        }

        await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(10));
        if (_receiverRelay is not null && _receiverRelay != _relay)
        {
            await _receiverRelay.DisposeAsync();
        }

        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }

        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    private async Task<(double, byte[])> RunAsync(int receivers, int payloadSize, TimeSpan warmup, TimeSpan duration, BackplaneOptions? backplane, bool crossRelay)
    {
        _relay = CreateRelay(backplane);
        await _relay.StartAsync();
        _receiverRelay = crossRelay ? CreateRelay(backplane) : _relay;
        if (crossRelay)
        {
            await _receiverRelay.StartAsync();
        }

        var direct = receivers == 1;
        var window = new SemaphoreSlim(ThroughputRun.Window);

        var sender = Track(AgentIdentity.Generate());
        var senderLink = await ConnectAsync(sender, _relay);
        var roomKey = Track(EncryptionKeyPair.GenerateForTopic(sender, "bench"));
        EncryptionKeyCertificate? target = direct ? null : roomKey.Certificate;
        var counters = new List<FrameCounter>();
        for (var i = 0; i < receivers; i++)
        {
            var identity = Track(AgentIdentity.Generate());
            var link = await ConnectAsync(identity, _receiverRelay);
            if (direct)
            {
                target = Track(EncryptionKeyPair.Derive(identity)).Certificate;
            }
            else
            {
                await JoinAsync(link);
            }

            var counter = new FrameCounter(link.Pipe.Input, link.Pipe.Output, relayFrames: true, confirm: direct, i == 0 ? window : null);
            counters.Add(counter);
            _tasks.Add(counter.RunAsync(_stop.Token));
        }

        if (!direct)
        {
            await JoinAsync(senderLink);
        }

        // The sender reads (and drops) its acknowledgements so its link never backs up.
        _tasks.Add(new FrameCounter(senderLink.Pipe.Input, senderLink.Pipe.Output, relayFrames: true, confirm: false, null).RunAsync(_stop.Token));
        var payload = new byte[payloadSize];
        Random.Shared.NextBytes(payload);
        var pool = new byte[PoolSize][];
        for (var i = 0; i < PoolSize; i++)
        {
            pool[i] = new RelayFrame { Op = RelayOp.Send, Envelope = EnvelopeSealer.Seal(sender, target!, payload).Encode() }.Encode();
        }

        var next = 0;
        var rate = await ThroughputRun.MeasureAsync(senderLink.Pipe.Output, pool[0], window, counters[0], warmup, duration, _stop.Token, () => pool[next++ % PoolSize]);
        return (rate, pool[0]);
    }

    private async Task<ITransportConnection> ConnectAsync(AgentIdentity identity, RelayServer relay)
    {
        var credential = NoiseStaticCredential.Create(identity);
        _disposables.Add(credential);
        var connection = await TcpTransport.Instance.ConnectAsync(relay.LocalEndPoint);
        var (link, _) = await SecureLink.ConnectAsync(connection, credential, relay.Id, CancellationToken.None);
        _links.Add(link!);
        return link!;
    }

    private static async Task JoinAsync(ITransportConnection link)
    {
        await link.Pipe.Output.WriteAsync(new RelayFrame { Op = RelayOp.Join, Room = "bench" }.Encode());
        var reply = await Frames.ReadOneAsync(link.Pipe.Input, 1 << 20, CancellationToken.None)
            ?? throw new InvalidOperationException("the relay closed the link during join");
        if (RelayFrame.Decode(new(reply)).Op != RelayOp.Joined)
        {
            throw new InvalidOperationException("expected 'joined'");
        }
    }

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
