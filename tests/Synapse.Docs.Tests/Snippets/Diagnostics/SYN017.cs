// docs/diagnostics/SYN017.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN017 is reported on each line whose comment starts with SYN017. The example has no TRIGGERS file.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN017;

[AgentNode]
public partial class Node
{
    [Receive("--> a")]
    public FlowEvent? Start(object? payload) => null;

    [Receive("a --> b")]
    public FlowEvent? Work(object? payload) => null;

    [Send("a --> b", OnTriggers = new[] { "ok" })]   // SYN017 until TRIGGERS is an additional file
    public string Send() => "";
}
