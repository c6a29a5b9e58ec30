// docs/diagnostics/SYN024.md, "Example": two nodes of one namespace with different TRIGGERS files, compiled by
// DiagnosticExampleTests (not by this project), which checks that SYN024 is reported.
using Synapse;
using Synapse.Flows;

// a/First.cs and b/Second.cs both in namespace Shared, with a/TRIGGERS and b/TRIGGERS: SYN024 on Second
namespace Shared;

[AgentNode]
public partial class Second
{
    [Receive("--> a")]
    public FlowEvent? Start(object? payload) => null;
}
