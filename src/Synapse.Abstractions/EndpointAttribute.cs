namespace Synapse;

/// <summary>
/// Exposes a method of an <see cref="AgentNodeAttribute"/> class as an RPC endpoint.
/// </summary>
/// <remarks>
/// Supported return types are <c>void</c>, <c>T</c>, <see cref="System.Threading.Tasks.Task"/>,
/// <see cref="System.Threading.Tasks.Task{TResult}"/>, <see cref="System.Threading.Tasks.ValueTask"/> and
/// <see cref="System.Threading.Tasks.ValueTask{TResult}"/>. A single <see cref="System.Threading.CancellationToken"/>
/// parameter is bound by the runtime and is not part of the wire arguments.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class EndpointAttribute : Attribute
{
    /// <summary>Creates an endpoint attribute.</summary>
    /// <param name="name">The endpoint name on the wire (letters, digits, <c>_</c>, <c>-</c> and <c>.</c>); defaults to the method name.</param>
    public EndpointAttribute(string? name = null) => Name = name;

    /// <summary>The endpoint name on the wire.</summary>
    public string? Name { get; }

    /// <summary>A description for the manifest; defaults to the method's XML doc summary.</summary>
    public string? Description { get; set; }

    /// <summary>Whether <c>_synapse.methods</c> lists the endpoint. Private endpoints stay callable.</summary>
    public bool Publish { get; set; } = true;
}
