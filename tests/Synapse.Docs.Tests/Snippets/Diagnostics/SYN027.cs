// docs/diagnostics/SYN027.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN027 is reported on each line whose comment starts with SYN027.
using System;
using System.Threading;
using System.Threading.Tasks;
using Synapse;

namespace Docs.SYN027;

[AgentNode]
public partial class Node
{
    [Solar("twilight", 48.85, 2.35)]  // SYN027: not an event name
    public void Lights()
    {
    }

    [Solar("civil_dusk", 48.85, 2.35)]  // fixed
    public void LightsOn()
    {
    }

    [Solar(SolarEvent.CivilDusk, 48.85, 2.35)]  // fixed
    public void AlsoLightsOn()
    {
    }
}
