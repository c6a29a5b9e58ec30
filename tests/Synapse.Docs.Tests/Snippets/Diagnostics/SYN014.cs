// docs/diagnostics/SYN014.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN014 is reported on each line whose comment starts with SYN014.
// As the page writes it, the example does not compile to what it shows: see the skipped test Syn014_example_… there.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN014;

[AgentNode]
public partial class Node
{
    [Receive("ready -> done")]        // SYN014 on '->': '->' is not an arrow; write '-->' (as in 'ready --> done')
    [Receive("ready --> done")]       // fixed
    [Receive("ready --[ x --> done")] // SYN014 on '[': the label opened by '--[' at column 7 is missing its ']'; …
    [Receive("A --> inv&alid")]       // SYN014 on '&'
    [Receive("/travel --> x")]        // SYN014 on '/travel': '/travel' is not a gate; …
    public FlowEvent? Work(object? payload) => null;
}
