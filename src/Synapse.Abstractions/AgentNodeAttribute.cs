namespace Synapse;

/// <summary>
/// Marks a <c>partial</c> class as a Synapse agent. The source generator turns its <see cref="EndpointAttribute"/>
/// methods into a dispatch table, a capability manifest and a typed client named <c>&lt;ClassName&gt;Client</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class AgentNodeAttribute : Attribute
{
    /// <summary>The agent's name as reported by <c>_synapse.info</c> and <c>_agent.info</c>; defaults to the class name.</summary>
    public string? Name { get; set; }

    /// <summary>The agent's role (for example <c>"reviewer"</c>), reported by the info built-ins.</summary>
    public string? Role { get; set; }

    /// <summary>A human-readable description of the agent.</summary>
    public string? Description { get; set; }

    /// <summary>Capability names the agent advertises in addition to its published endpoints.</summary>
    public string[]? Capabilities { get; set; }
}
