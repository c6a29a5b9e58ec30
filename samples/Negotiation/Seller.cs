using Synapse;
using Synapse.Flows;
using Synapse.Relay;
using Synapse.Relay.Client;

namespace Negotiation;

/// <summary>Sells above a floor: accepts an offer at or over it, and counters anything lower with the floor.</summary>
[AgentNode(Name = "seller", Role = "market")]
public partial class Seller(int floor)
{
    /// <summary>The price agreed, once there is one.</summary>
    public int? SoldAt { get; private set; }

    [Receive("open --[ accept ]--> sold")]
    public FlowEvent? Accept(RelayMessage message) =>
        Messages.Read(message, "offer") is { } offer && offer >= floor ? FlowEvent.Move(Trigger.deal, offer) : null;

    [Receive("open --[ counter ]--> open")]
    public FlowEvent? Counter(RelayMessage message) =>
        Messages.Read(message, "offer") is { } offer && offer < floor ? FlowEvent.Stay(Trigger.ok, offer) : null;

    [Send("open --[ accept ]--> sold", OnTriggers = ["deal"], UseData = true)]
    public string SendAcceptance(int offer)
    {
        SoldAt = offer;
        return Messages.Make("accept", offer);
    }

    [Send("open --[ counter ]--> open", OnTriggers = ["ok"], UseData = true)]
    public string SendCounter(int offer) => Messages.Make("counter", floor);
}
