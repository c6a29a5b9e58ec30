namespace Synapse.Rpc;

/// <summary>
/// The generated dispatch table of one agent: finds endpoints by their UTF-8 name, binds arguments straight from
/// MessagePack, invokes the method and writes its result. One instance serves all calls of an agent.
/// </summary>
public abstract class AgentDispatcher
{
    /// <summary>The agent's manifest: identity, endpoints, capabilities, task handler and background jobs.</summary>
    public abstract AgentDescriptor Descriptor { get; }

    /// <summary>Returns the index in <see cref="AgentDescriptor.Endpoints"/> of the endpoint named <paramref name="utf8Name"/>, or -1.</summary>
    public abstract int FindEndpoint(ReadOnlySpan<byte> utf8Name);

    /// <summary>
    /// Binds the call's arguments, invokes invocation target <paramref name="target"/> (an endpoint index, or
    /// <see cref="AgentDescriptor.TaskHandler"/>) and writes its result to <paramref name="call"/>. Binding errors
    /// throw <see cref="RpcException"/>; handler exceptions propagate to the host, which turns them into error responses.
    /// </summary>
    public abstract ValueTask InvokeAsync(int target, RpcInvocation call);

    /// <summary>Runs background job <paramref name="index"/> of <see cref="AgentDescriptor.BackgroundJobs"/> once.</summary>
    public virtual Task RunBackgroundJobAsync(int index, CancellationToken cancellationToken) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, "this agent has no background jobs");
}
