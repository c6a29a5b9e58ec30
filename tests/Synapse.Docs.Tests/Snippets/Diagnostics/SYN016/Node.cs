// docs/diagnostics/SYN016.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN016 is reported on each line whose comment starts with SYN016.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN016;

[AgentNode]
public partial class Node
{
    [Receive("--> a")]
    public FlowEvent? Start(object? payload) => null;

    [Receive("a --> b")]
    public FlowEvent? Work(object? payload) => null;

    // TRIGGERS: ok / ␣␣match / exit / ␣␣match
    [Send("a --> b", OnTriggers = new[] { "match" })]      // SYN016: ambiguous
    [Send("a --> b", OnTriggers = new[] { "ok.match" })]   // fixed
    public string Send() => "";
}
