// docs/diagnostics/SYN010.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN010 is reported on each line whose comment starts with SYN010.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN010;

[AgentNode]
public partial class Node
{
    [TaskHandler]
    public string Ask(string task) => task;

    [TaskHandler]                     // SYN010
    public string AskAgain(string task) => task;
}
