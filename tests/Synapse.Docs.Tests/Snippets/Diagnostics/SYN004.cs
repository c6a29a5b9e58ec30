// docs/diagnostics/SYN004.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN004 is reported on each line whose comment starts with SYN004.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN004;

[AgentNode]
public partial class Node
{
    [Endpoint("create review")]       // SYN004: space
    public void Create() { }

    [Endpoint("reviews.create")]      // fixed
    public void Create() { }
}
