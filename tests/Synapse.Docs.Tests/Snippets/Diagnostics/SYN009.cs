// docs/diagnostics/SYN009.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN009 is reported on each line whose comment starts with SYN009.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN009;

public class Helpers
{
    [Endpoint("sum")]                 // SYN009
    public int Sum(int a, int b) => a + b;
}

[AgentNode]
public partial class Calculator       // fixed: the endpoint lives in an agent
{
    [Endpoint("sum")]                 // fine
    public int Sum(int a, int b) => a + b;
}
