namespace Synapse.Rpc;

/// <summary>
/// Implemented by the source generator on every <see cref="AgentNodeAttribute"/> class; hosts use it to obtain the
/// generated dispatcher without reflection.
/// </summary>
public interface IAgentNode
{
    /// <summary>Creates the generated dispatcher bound to this agent instance.</summary>
    AgentDispatcher CreateDispatcher();
}
