// docs/diagnostics/SYN020.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN020 is reported on each line whose comment starts with SYN020.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN020;

[AgentNode]
public partial class Node
{
    [Hook(HookDirection.Receive, Priority = new[] { 1 })] public object? A(object? p) => p;
    [Hook(HookDirection.Receive, Priority = new[] { 1 })] public object? B(object? p) => p;   // SYN020
}
