using Synapse;

namespace TrimmedAgent;

/// <summary>A stock item.</summary>
[SynapseMessage]
public sealed record Item(Guid Id, string Name, int Quantity, Category Category, byte[] Tag, DateTimeOffset Updated, Dictionary<string, double> Prices);

/// <summary>Item categories.</summary>
public enum Category
{
    Tool,
    Part,
}

/// <summary>An agent exercising every kind of generated formatter, so trimming can be checked on all of them.</summary>
[AgentNode(Name = "inventory", Role = "stock", Description = "Keeps stock")]
public partial class Inventory
{
    private readonly List<Item> _items = [];
    private int _nightlyRuns;
    private int _sunriseRuns;

    /// <summary>Whether both scheduled jobs have run (each runs first when the host starts).</summary>
    public bool JobsRan => Volatile.Read(ref _nightlyRuns) > 0 && Volatile.Read(ref _sunriseRuns) > 0;

    /// <summary>A cron job in a time zone, so that Cronos and the time zone database are published too.</summary>
    [Cron("0 3 * * *", TimeZone = "Europe/Paris")]
    public void Nightly() => Interlocked.Increment(ref _nightlyRuns);

    /// <summary>A solar job.</summary>
    [Solar(SolarEvent.Sunrise, 48.8566, 2.3522)]
    public void Sunrise() => Interlocked.Increment(ref _sunriseRuns);

    /// <summary>Adds an item and returns the item count.</summary>
    [Endpoint("add")]
    public int Add(Item item)
    {
        lock (_items)
        {
            _items.Add(item);
            return _items.Count;
        }
    }

    /// <summary>Lists items of a category, optionally with at least a given quantity.</summary>
    [Endpoint("list")]
    public Task<List<Item>> ListAsync(Category category, int? minimum = null)
    {
        lock (_items)
        {
            return Task.FromResult(_items.Where(i => i.Category == category && i.Quantity >= (minimum ?? 0)).ToList());
        }
    }
}
