namespace Synapse.Rpc;

/// <summary>
/// <c>_agent.ask</c> (synapse-p2p v2 calls it <c>_node.ask</c>): runs the agent's <see cref="TaskHandlerAttribute"/>
/// method. Part of every agent, so <see cref="LocalInvoker"/> serves it as a host does.
/// </summary>
internal static class AskBuiltin
{
    /// <summary>The wire name.</summary>
    public const string Name = "_agent.ask";

    /// <summary>The synapse-p2p v2 name of the same built-in.</summary>
    public const string NodeName = "_node.ask";

    /// <summary>Registers both names, answered by <paramref name="dispatcher"/>'s task handler.</summary>
    public static void Register(BuiltinRegistry builtins, AgentDispatcher dispatcher)
    {
        BuiltinHandler ask = call => InvokeAsync(dispatcher, call);
        builtins.Add(Name, ask);
        builtins.Add(NodeName, ask);
    }

    private static ValueTask InvokeAsync(AgentDispatcher dispatcher, RpcInvocation call)
    {
        var taskHandler = dispatcher.Descriptor.TaskHandler;
        return taskHandler < 0
            ? throw new RpcException(RpcErrorCodes.InternalError, "node has no ask handler")
            : dispatcher.InvokeAsync(taskHandler, call);
    }
}
