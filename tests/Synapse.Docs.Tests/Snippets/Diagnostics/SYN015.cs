// docs/diagnostics/SYN015.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN015 is reported on each line whose comment starts with SYN015.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN015;

[ArrowStyle("--", "[", "]", ",", ">")]   // SYN015: the stem is one character
[ArrowStyle("=", "{", "}", ";", ">")]    // fine: a =={ f }==> b; c
[AgentNode]
public partial class Node
{
    [Receive("--> a")]
    public FlowEvent? Work(object? payload) => null;
}
