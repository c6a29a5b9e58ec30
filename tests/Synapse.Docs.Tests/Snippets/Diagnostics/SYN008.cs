// docs/diagnostics/SYN008.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN008 is reported on each line whose comment starts with SYN008.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN008;

[AgentNode]
public partial class Node
{
    [Endpoint("fire")]
    public async void Fire() => await Task.Delay(10);  // SYN008

    [Endpoint("fire")]
    public async Task Fire() => await Task.Delay(10);  // fixed
}
