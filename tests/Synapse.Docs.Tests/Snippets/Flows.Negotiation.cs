// docs/flows.md, "Declaring a flow": a seller whose flow answers offers; its trigger `ok` comes from the project's
// TRIGGERS file (tests/Synapse.Docs.Tests/TRIGGERS).
using System.Text;
using Synapse;
using Synapse.Flows;
using Synapse.Relay.Client;

[AgentNode(Name = "seller")]
public partial class Seller
{
    private string _state = "idle";

    [UploadStates]
    public object States(object? message) => _state;

    [DownloadStates]
    public void Reached(StateTape states) => _state = states.StatesOf(null).LastOrDefault()?.Name ?? _state;

    [Receive("idle --[ offer ]--> negotiating")]
    public FlowEvent? OnOffer(RelayMessage message) => IsOffer(message) ? FlowEvent.Move(Trigger.ok, message) : null;

    [Receive("negotiating --[ close ]--> idle")]
    public FlowEvent? OnClose(RelayMessage message) => Text(message) == "close" ? FlowEvent.Move(Trigger.ok) : null;

    [Send("idle --[ offer ]--> negotiating", OnTriggers = new[] { "ok" }, UseData = true)]
    public string Counter(object? offer) => "counter-offer";

    [Send("/all", Every = 5)]
    public string Heartbeat() => "alive";

    private static bool IsOffer(RelayMessage message) => Text(message).StartsWith("offer ", StringComparison.Ordinal);

    private static string Text(RelayMessage message) => Encoding.UTF8.GetString(message.Payload.Span);
}
