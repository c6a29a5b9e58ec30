// docs/diagnostics/SYN023.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN023 is reported on each line whose comment starts with SYN023.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN023;

[AgentNode]
public partial class Worker
{
    [Receive("idle --> busy")]   // SYN023 on 'idle': no arrow leads to idle
    public FlowEvent? Start(object? payload) => null;
}

[AgentNode]
public partial class FixedWorker
{
    [Receive("idle --> busy")]   // fine
    public FlowEvent? Start(object? payload) => null;

    [Receive("busy --> idle")]   // fixed: now an arrow reaches idle
    public FlowEvent? Finish(object? payload) => null;
}
