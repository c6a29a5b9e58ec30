// docs/diagnostics/SYN025.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN025 is reported on each line whose comment starts with SYN025.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN025;

[AgentNode]
public partial class Node
{
    [Receive("ready --> done")]
    public FlowEvent? Finish(Order order) => FlowEvent.Move(Trigger.ok);

    [Receive("ready-->done")]                            // SYN025: same route as 'Finish', same priority ()
    public FlowEvent? Audit(Order order) => null;

    [Receive("ready --> done", Priority = new[] { 1 })]  // fine: runs after Finish's batch
    public FlowEvent? AuditAfter(Order order) => null;
}

[SynapseMessage]
public sealed record Order(string Item, int Count);
