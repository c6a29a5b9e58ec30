// docs/diagnostics/SYN003.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN003 is reported on each line whose comment starts with SYN003.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN003;

[AgentNode]
public partial class Node
{
    [Endpoint("_agent.ask")]          // SYN003
    public string Ask(string task) => task;

    [TaskHandler]                     // fixed: the host routes _agent.ask here
    public string Ask(string task) => task;
}
