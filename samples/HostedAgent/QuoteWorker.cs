using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HostedAgent;

/// <summary>
/// The app's own work: once the agents run, asks the quotes agent through its typed client (the interface, as
/// application code should take it), waits for the audit agent to hear of both quotes through the relay, and reports
/// the app's health.
/// </summary>
public sealed partial class QuoteWorker(IQuoteAgentClient quotes, AuditAgent audit, HealthCheckService health, IHostApplicationLifetime lifetime, ILogger<QuoteWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        foreach (var (item, quantity) in new[] { ("apple", 3), ("pear", 2) })
        {
            Quoted(logger, quantity, item, await quotes.QuoteAsync(item, quantity, stoppingToken));
        }

        while (audit.Entries < 2)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken);
        }

        var report = await health.CheckHealthAsync(stoppingToken);
        Healthy(logger, report.Status);
    }

    [LoggerMessage(1, LogLevel.Information, "quote: {Quantity} x {Item} = {Cents} cents")]
    private static partial void Quoted(ILogger logger, int quantity, string item, int cents);

    [LoggerMessage(2, LogLevel.Information, "health: {Status}")]
    private static partial void Healthy(ILogger logger, HealthStatus status);
}
