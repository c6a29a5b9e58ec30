using Synapse;
using Synapse.Flows;
using Synapse.Relay;
using Synapse.Relay.Client;

namespace Negotiation;

/// <summary>Bids from an opening price, raising its bid halfway to each counter-offer up to a ceiling, until accepted.</summary>
[AgentNode(Name = "buyer", Role = "market")]
public partial class Buyer(int opening, int ceiling)
{
    private int _bid = opening;

    /// <summary>The price agreed, once there is one.</summary>
    public int? BoughtAt { get; private set; }

    /// <summary>Whether the buyer still bids.</summary>
    public bool Bidding => BoughtAt is null;

    [Receive("bidding --[ countered ]--> bidding")]
    public FlowEvent? Countered(RelayMessage message)
    {
        if (Messages.Read(message, "counter") is not { } counter)
        {
            return null;
        }

        _bid = Math.Min(ceiling, _bid + ((counter - _bid + 1) / 2));
        return FlowEvent.Stay(Trigger.ok, counter);
    }

    [Receive("bidding --[ agreed ]--> bought")]
    public FlowEvent? Agreed(RelayMessage message)
    {
        if (Messages.Read(message, "accept") is not { } price)
        {
            return null;
        }

        BoughtAt = price;
        return FlowEvent.Move(Trigger.deal, price);
    }

    [Send("bidding", Every = 0.2, RunWhile = nameof(Bidding))]
    public string Bid() => Messages.Make("offer", _bid);
}
