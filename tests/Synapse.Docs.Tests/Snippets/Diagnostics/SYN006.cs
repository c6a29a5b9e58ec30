// docs/diagnostics/SYN006.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN006 is reported on each line whose comment starts with SYN006.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN006;

[AgentNode]
public partial class Node
{
    [Endpoint("now")]
    public DateTime Now() => DateTime.UtcNow;          // SYN006

    [Endpoint("now")]
    public DateTimeOffset Now() => DateTimeOffset.UtcNow; // fixed
}
