// docs/diagnostics/SYN013.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN013 is reported on each line whose comment starts with SYN013.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN013;

[AgentNode]
public partial class Node
{
    [Endpoint("parse")]
    public bool TryParse(string text, out int value) { value = 0; return false; }  // SYN013

    [Endpoint("parse")]
    public int? Parse(string text) => int.TryParse(text, out var v) ? v : null;     // fixed
}
