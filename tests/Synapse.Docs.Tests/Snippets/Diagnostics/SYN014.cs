// docs/diagnostics/SYN014.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN014 is reported on each line whose comment starts with SYN014.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN014;

[AgentNode]
public partial class Router
{
    [Receive("ready -> done")]        // SYN014 on '->': '->' is not an arrow; write '-->' (as in 'ready --> done')
    public FlowEvent? SingleDash(object? payload) => null;

    [Receive("ready --> done")]       // fixed
    public FlowEvent? Arrow(object? payload) => null;

    [Receive("ready --[ x --> done")] // SYN014 on '[': the label opened by '--[' at column 7 is missing its ']'; …
    public FlowEvent? OpenLabel(object? payload) => null;

    [Receive("ready --> inv&alid")]   // SYN014 on '&'
    public FlowEvent? BadName(object? payload) => null;

    [Receive("/travel --> done")]     // SYN014 on '/travel': '/travel' is not a gate; …
    public FlowEvent? BadGate(object? payload) => null;
}
