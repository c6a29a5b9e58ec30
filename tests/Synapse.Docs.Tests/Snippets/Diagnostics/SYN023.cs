// docs/diagnostics/SYN023.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN023 is reported on each line whose comment starts with SYN023.
// As the page writes it, the example does not compile to what it shows: see the skipped test Syn023_example_… there.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN023;

[AgentNode]
public partial class Node
{
    [Receive("idle --> busy")]   // SYN023 on 'idle' unless an arrow leads to idle
    [Receive("busy --> idle")]   // now idle is reached
    public FlowEvent? Work(object? payload) => null;
}
