// docs/diagnostics/SYN005.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN005 is reported on each line whose comment starts with SYN005.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN005;

[AgentNode]
public partial class Node
{
    [Endpoint("price")]
    public void SetPrice(decimal amount) { }        // SYN005

    [Endpoint("price")]
    public void SetPrice(double amount) { }         // fixed
}
