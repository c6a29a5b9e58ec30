using Synapse.Scheduling;

namespace Synapse.Rpc;

/// <summary>The generated manifest of an agent.</summary>
/// <param name="Name">The agent name.</param>
/// <param name="Role">The agent role ("" when none).</param>
/// <param name="Description">The agent description ("" when none).</param>
/// <param name="Endpoints">The endpoints, in dispatch index order.</param>
/// <param name="Capabilities">Capabilities declared on the class with <see cref="AgentNodeAttribute.Capabilities"/> or <see cref="CapabilityAttribute"/>.</param>
/// <param name="BackgroundJobs">The background jobs, in index order.</param>
/// <param name="TaskHandler">The invocation target of the <see cref="TaskHandlerAttribute"/> method, or -1.</param>
public sealed record AgentDescriptor(
    string Name,
    string Role,
    string Description,
    IReadOnlyList<EndpointDescriptor> Endpoints,
    IReadOnlyList<CapabilityDescriptor> Capabilities,
    IReadOnlyList<BackgroundJobDescriptor> BackgroundJobs,
    int TaskHandler);

/// <summary>The generated description of one endpoint.</summary>
/// <param name="Name">The wire name.</param>
/// <param name="Publish">Whether <c>_synapse.methods</c> lists it.</param>
/// <param name="Description">From the attribute or the method's XML doc summary ("" when none).</param>
/// <param name="InputSchema">JSON Schema of the arguments, as JSON text: an object whose properties are the parameters.</param>
/// <param name="OutputSchema">JSON Schema of the result (of each item, for a streaming endpoint), as JSON text.</param>
/// <param name="Streaming">Whether the endpoint streams its results (it returns <c>IAsyncEnumerable&lt;T&gt;</c>).</param>
public sealed record EndpointDescriptor(string Name, bool Publish, string Description, string InputSchema, string OutputSchema, bool Streaming = false);

/// <summary>A capability an agent advertises.</summary>
/// <param name="Name">The capability name.</param>
/// <param name="Description">What it does ("" when none).</param>
/// <param name="InputSchema">JSON Schema of its input as JSON text (<c>{}</c> when none).</param>
/// <param name="OutputSchema">JSON Schema of its output as JSON text (<c>{}</c> when none).</param>
public sealed record CapabilityDescriptor(string Name, string Description, string InputSchema, string OutputSchema);

/// <summary>A background job of an agent.</summary>
/// <param name="Name">The method name.</param>
/// <param name="Schedule">When it runs after its first run at start.</param>
public sealed record BackgroundJobDescriptor(string Name, Schedule Schedule);
