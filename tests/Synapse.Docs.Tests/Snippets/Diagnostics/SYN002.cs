// docs/diagnostics/SYN002.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN002 is reported on each line whose comment starts with SYN002.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN002;

[AgentNode]
public partial class Node
{
    [Endpoint("sum")]
    public int Sum(int a, int b) => a + b;

    [Endpoint("sum")]                 // SYN002
    public double Sum(double a, double b) => a + b;

    [Endpoint("sum_double")]          // fixed
    public double Sum(double a, double b) => a + b;
}
