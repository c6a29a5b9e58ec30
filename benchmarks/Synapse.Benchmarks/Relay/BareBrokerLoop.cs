using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Synapse.Benchmarks.Relay;

/// <summary>
/// The broker on its own, as the backplane uses it: persistent messages of the size of a relayed deliver frame,
/// published with publisher confirms to a durable queue with the mailbox's arguments, consumed with the mailbox's
/// prefetch and acknowledged one by one, with the same window in flight as the relay runs. No relay, no secure links,
/// no envelopes: the ceiling the backplane's figure is compared with.
/// </summary>
internal static class BareBrokerLoop
{
    private const ushort Prefetch = 256; // BrokerTopology.MailboxPrefetch

    /// <summary>Messages per second acknowledged by the consumer, after <paramref name="warmup"/>.</summary>
    public static async Task<double> MeasureAsync(Uri broker, int bodyBytes, TimeSpan warmup, TimeSpan duration)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var publishing = await factory.CreateConnectionAsync("bench-publisher");
        await using var consuming = await factory.CreateConnectionAsync("bench-consumer");
        await using var publisher = await publishing.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false));
        await using var consumer = await consuming.CreateChannelAsync();

        var queue = "bench-bare-" + Guid.NewGuid().ToString("N")[..8];
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-max-length"] = 100_000L,
            ["x-overflow"] = "reject-publish",
            ["x-message-ttl"] = (long)TimeSpan.FromDays(7).TotalMilliseconds,
            ["x-single-active-consumer"] = true,
        });

        try
        {
            using var window = new SemaphoreSlim(ThroughputRun.Window);
            long acknowledged = 0;
            await consumer.BasicQosAsync(0, Prefetch, global: false);
            var handler = new AsyncEventingBasicConsumer(consumer);
            handler.ReceivedAsync += async (_, e) =>
            {
                await consumer.BasicAckAsync(e.DeliveryTag, multiple: false);
                Interlocked.Increment(ref acknowledged);
                window.Release();
            };
            await consumer.BasicConsumeAsync(queue, autoAck: false, handler);

            using var stop = new CancellationTokenSource();
            var body = new byte[bodyBytes];
            var sending = Task.Run(async () =>
            {
                var properties = new BasicProperties { Persistent = true, Type = "direct" };
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        await window.WaitAsync(stop.Token);
                        // One publishing loop on a confirming channel, confirms arriving as events, as the backplane's
                        // ConfirmedPublisher does.
                        await publisher.BasicPublishAsync("", queue, mandatory: false, properties, body, stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });

            await Task.Delay(warmup);
            var start = Interlocked.Read(ref acknowledged);
            var clock = Stopwatch.StartNew();
            await Task.Delay(duration);
            var count = Interlocked.Read(ref acknowledged) - start;
            var seconds = clock.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await sending;
            return count / seconds;
        }
        finally
        {
            await publisher.QueueDeleteAsync(queue);
        }
    }
}
