// docs/diagnostics/SYN019.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN019 is reported on each line whose comment starts with SYN019.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN019;

[AgentNode]
public partial class Node
{
    [Receive("--> a")]
    public int Start(object? payload) => 0;             // SYN019: it returns 'int'; make it return FlowEvent?, …

    [Send("tick", RunWhile = nameof(Running))]
    public string Tick() => "tick";                     // SYN019: RunWhile needs Every …; make the sender timed with Every = seconds, or remove RunWhile

    public bool Running => true;
}
