namespace Synapse;

/// <summary>
/// Marks the method that answers <c>_agent.ask(task, context)</c> (and its v2 alias <c>_node.ask</c>).
/// The method's first parameter receives the task; an optional second parameter receives the context.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TaskHandlerAttribute : Attribute
{
}
