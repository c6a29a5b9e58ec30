// docs/diagnostics/SYN026.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN026 is reported on each line whose comment starts with SYN026.
using System;
using System.Threading;
using System.Threading.Tasks;
using Synapse;

namespace Docs.SYN026;

[AgentNode]
public partial class Node
{
    [Cron("0 9 * * MON-FRX")]         // SYN026: 'FRX' is not a day
    public void Report()
    {
    }

    [Cron("0 0 9 * * *")]             // SYN026: six fields (seconds are not supported)
    public void Backup()
    {
    }

    [Cron("0 9 * * MON-FRI", TimeZone = "Europe/Paris")]   // fixed
    public void Fixed()
    {
    }
}
