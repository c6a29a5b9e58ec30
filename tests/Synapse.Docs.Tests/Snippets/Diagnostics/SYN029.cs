// docs/diagnostics/SYN029.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN029 is reported on each line whose comment starts with SYN029.
using System;
using System.Threading;
using System.Threading.Tasks;
using Synapse;

namespace Docs.SYN029;

[AgentNode]
public partial class Node
{
    [Background(0)]                   // SYN029: not positive
    public void Poll()
    {
    }

    [Every]                           // SYN029: no interval
    public void Sweep()
    {
    }

    [Every(Minutes = 5)]              // fixed
    public void Fixed()
    {
    }
}
