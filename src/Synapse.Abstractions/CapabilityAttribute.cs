namespace Synapse;

/// <summary>
/// Declares a capability descriptor of an agent, returned by <c>_agent.capabilities</c> with its schemas.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class CapabilityAttribute : Attribute
{
    /// <summary>Creates a capability descriptor.</summary>
    /// <param name="name">The capability name, for example <c>"code-review"</c>.</param>
    public CapabilityAttribute(string name) => Name = name;

    /// <summary>The capability name.</summary>
    public string Name { get; }

    /// <summary>What the capability does.</summary>
    public string? Description { get; set; }

    /// <summary>A JSON Schema (as JSON text) of the capability's input; <c>{}</c> when not given.</summary>
    public string? InputSchema { get; set; }

    /// <summary>A JSON Schema (as JSON text) of the capability's output; <c>{}</c> when not given.</summary>
    public string? OutputSchema { get; set; }
}
