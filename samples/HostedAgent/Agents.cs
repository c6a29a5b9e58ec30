using Synapse;

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

/// <summary>Quotes prices; its price list is injected.</summary>
[AgentNode(Name = "quotes")]
public sealed partial class QuoteAgent(IPriceList prices)
{
    /// <summary>The price of <paramref name="quantity"/> items, in cents.</summary>
    [Endpoint("quote", Description = "Prices a quantity of an item, in cents.")]
    public int Quote(string item, int quantity) => prices.PriceOf(item) * quantity;
}

/// <summary>Keeps a count of what it was told.</summary>
[AgentNode(Name = "audit")]
public sealed partial class AuditAgent
{
    private long _entries;

    /// <summary>Records an entry; returns how many were recorded.</summary>
    [Endpoint("record")]
    public long Record(string entry) => Interlocked.Increment(ref _entries);
}
