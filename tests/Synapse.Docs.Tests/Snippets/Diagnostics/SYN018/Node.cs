// docs/diagnostics/SYN018.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN018 is reported on each line whose comment starts with SYN018. The example is its TRIGGERS file.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN018;

[AgentNode]
public partial class Node
{
    [Receive("--> a")]
    public FlowEvent? Start(object? payload) => null;
}
