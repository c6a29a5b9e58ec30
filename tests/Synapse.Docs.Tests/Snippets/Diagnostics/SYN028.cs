// docs/diagnostics/SYN028.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN028 is reported on each line whose comment starts with SYN028.
using System;
using System.Threading;
using System.Threading.Tasks;
using Synapse;

namespace Docs.SYN028;

[AgentNode]
public partial class Node
{
    [Solar(SolarEvent.Sunrise, 148.85, 2.35)]   // SYN028: latitude out of range
    public void Wake()
    {
    }

    [Solar(SolarEvent.Sunrise, 48.85, 2.35)]    // fixed
    public void WakeInParis()
    {
    }
}
