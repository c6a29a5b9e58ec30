// docs/diagnostics/SYN024.md, "Example": two nodes of one namespace with different TRIGGERS files, compiled by
// DiagnosticExampleTests (not by this project), which checks that SYN024 is reported.
using Synapse;
using Synapse.Flows;

namespace Shared;

[AgentNode]
public partial class First
{
    [Receive("--> a")]
    public FlowEvent? Start(object? payload) => FlowEvent.Move(Trigger.ok);
}
