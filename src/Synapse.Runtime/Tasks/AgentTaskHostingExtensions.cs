using Synapse.Hosting;

namespace Synapse.Tasks;

/// <summary>Serving long-running tasks from a host: the options attach themselves to <see cref="AgentHostOptions"/>.</summary>
public static class AgentTaskHostingExtensions
{
    extension(AgentHostOptions options)
    {
        /// <summary>
        /// Long-running tasks: with options set, callers may start any of the agent's endpoints (or its
        /// <c>_agent.ask</c> handler) as a task with <c>_synapse.task.start</c>, then get, cancel, answer and follow it by
        /// id (see <c>docs/tasks.md</c>). <c>null</c> (the default) leaves the <c>_synapse.task.*</c> built-ins unregistered.
        /// </summary>
        public AgentTaskOptions? Tasks
        {
            get => options.Feature<TaskFeature>()?.Options;
            set => options.SetFeature(value is null ? null : new TaskFeature(value));
        }
    }
}
