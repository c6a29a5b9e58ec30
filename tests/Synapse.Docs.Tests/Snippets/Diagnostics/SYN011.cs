// docs/diagnostics/SYN011.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN011 is reported on each line whose comment starts with SYN011.
using System;
using System.Threading;
using System.Threading.Tasks;
using Synapse;

namespace Docs.SYN011;

[AgentNode]
public partial class Node
{
    [Background(30)]
    public Task Refresh(int count) => Task.CompletedTask;   // SYN011: parameter not allowed

    [Every(Minutes = 5)]
    [Cron("@hourly")]                 // SYN011: more than one schedule
    public void Sync()
    {
    }

    [Background(30)]                  // fixed
    public Task Refresh(CancellationToken cancellationToken) => Task.CompletedTask;
}
