namespace Synapse;

/// <summary>
/// A flow receiver: runs when a message arrives while the agent is in a state its route accepts, and returns the
/// event (<c>Move</c>, <c>Stay</c>, <c>Test</c>) that moves the agent's states. Routes use Summoner's grammar:
/// <c>ready --&gt; action</c>, <c>ready --[ ok ]--&gt; done</c>, <c>--&gt; start</c> (initial), objects
/// <c>a, b</c>, and the gates <c>/all</c>, <c>/not(a,b)</c>, <c>/oneof(a,b)</c>. The generator parses the route at
/// compile time; a malformed one is an error pointing at the offending character.
/// </summary>
/// <remarks>
/// The method takes the payload (<c>object?</c>, <c>string</c>, a <c>[SynapseMessage]</c> type or
/// <c>MsgPackValue</c>) and optionally a <see cref="System.Threading.CancellationToken"/>, and returns
/// <c>FlowEvent?</c>, <c>Task&lt;FlowEvent?&gt;</c> or <c>ValueTask&lt;FlowEvent?&gt;</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReceiveAttribute(string route) : Attribute
{
    /// <summary>The route.</summary>
    public string Route { get; } = route;

    /// <summary>The batch this receiver runs in: lower first; receivers of one batch run concurrently.</summary>
    public int[] Priority { get; set; } = [];
}
