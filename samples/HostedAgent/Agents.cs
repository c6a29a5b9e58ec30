using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synapse;
using Synapse.Relay.Client;

namespace HostedAgent;

/// <summary>Prices, a dependency the quote agent gets from DI.</summary>
public interface IPriceList
{
    /// <summary>The price of an item, in cents.</summary>
    int PriceOf(string item);
}

/// <summary>A fixed price list.</summary>
public sealed class PriceList : IPriceList
{
    private static readonly Dictionary<string, int> Prices = new(StringComparer.OrdinalIgnoreCase) { ["apple"] = 120, ["pear"] = 95 };

    public int PriceOf(string item) => Prices.GetValueOrDefault(item, 500);
}

/// <summary>Quotes prices; its price list and the audit trail are injected.</summary>
[AgentNode(Name = "quotes")]
public sealed partial class QuoteAgent(IPriceList prices, AuditTrail audit)
{
    /// <summary>The price of <paramref name="quantity"/> items, in cents; each quote goes to the audit trail.</summary>
    [Endpoint("quote", Description = "Prices a quantity of an item, in cents.")]
    public int Quote(string item, int quantity)
    {
        var cents = prices.PriceOf(item) * quantity;
        audit.Write($"quoted {quantity} x {item} = {cents} cents");
        return cents;
    }
}

/// <summary>
/// Sends audit entries to the audit agent through the relay, sealed to the audit agent's key: the relay client named
/// "quotes" writes, the one named "audit" reads (both from appsettings.json).
/// </summary>
public sealed class AuditTrail([FromKeyedServices("quotes")] RelayClient relay, [FromKeyedServices("audit")] RelayClient auditor)
{
    /// <summary>Sends one entry; it waits in the outbox while the relay is away.</summary>
    public void Write(string entry) => relay.Send(auditor.Certificate, Encoding.UTF8.GetBytes(entry));
}

/// <summary>Keeps a count of what it was told, by a call or through the relay.</summary>
[AgentNode(Name = "audit")]
public sealed partial class AuditAgent
{
    private readonly ILogger<AuditAgent> _logger;
    private long _entries;

    /// <summary>Reads the entries relayed to it.</summary>
    public AuditAgent([FromKeyedServices("audit")] RelayClient inbox, ILogger<AuditAgent> logger)
    {
        _logger = logger;
        inbox.OnMessage((message, _) =>
        {
            Received(Encoding.UTF8.GetString(message.Payload.Span));
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>How many entries were recorded.</summary>
    public long Entries => Interlocked.Read(ref _entries);

    /// <summary>Records an entry; returns how many were recorded.</summary>
    [Endpoint("record")]
    public long Record(string entry) => Interlocked.Increment(ref _entries);

    private void Received(string entry)
    {
        Record(entry);
        AuditLog.Relayed(_logger, entry);
    }
}

/// <summary>What the audit agent logs.</summary>
internal static partial class AuditLog
{
    [LoggerMessage(1, LogLevel.Information, "audit: {Entry} (through the relay)")]
    public static partial void Relayed(ILogger logger, string entry);
}
