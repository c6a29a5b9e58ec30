// docs/diagnostics/SYN001.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN001 is reported on each line whose comment starts with SYN001.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN001;

[AgentNode]
public class Calculator          // SYN001
{
    [Endpoint("sum")]
    public int Sum(int a, int b) => a + b;
}

[AgentNode]
public partial class Calculator  // fixed
{
    [Endpoint("sum")]
    public int Sum(int a, int b) => a + b;
}
