// docs/diagnostics/SYN022.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN022 is reported on each line whose comment starts with SYN022.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN022;

[AgentNode]
public partial class Node
{
    [Receive("ready --> done")] public FlowEvent? Work(object? p) => null;
    [Send("done --> ready", OnActions = FlowActions.Move)] public string Never() => "";   // SYN022
}
