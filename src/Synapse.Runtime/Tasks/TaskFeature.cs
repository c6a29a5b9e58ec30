using Synapse.Hosting;

namespace Synapse.Tasks;

/// <summary>Long-running tasks as a host feature: each host that starts with it registers the <c>_synapse.task.*</c> built-ins.</summary>
internal sealed class TaskFeature(AgentTaskOptions options) : IHostFeature
{
    public AgentTaskOptions Options { get; } = options;

    public void Validate() => Options.Validate();

    public NodeProfile Describe(NodeProfile profile) => profile;

    public IHostService Attach(AgentHost host, HostAddress address, CancellationToken stopping)
    {
        var tasks = new AgentTasks(host, Options, stopping);
        new TaskEndpoints(tasks).Register(host.Builtins);
        return tasks;
    }
}
