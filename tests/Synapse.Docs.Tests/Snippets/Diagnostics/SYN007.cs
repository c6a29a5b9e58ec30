// docs/diagnostics/SYN007.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN007 is reported on each line whose comment starts with SYN007.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN007;

[AgentNode]
public partial class Node
{
    [Endpoint("work")]
    public Task Work(CancellationToken a, CancellationToken b) => Task.CompletedTask; // SYN007

    [Endpoint("work")]
    public Task Work(CancellationToken cancellationToken) => Task.CompletedTask;      // fixed
}
