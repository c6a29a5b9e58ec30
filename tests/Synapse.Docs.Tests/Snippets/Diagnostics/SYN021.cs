// docs/diagnostics/SYN021.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN021 is reported on each line whose comment starts with SYN021.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN021;

[AgentNode]
public partial class Node
{
    [UploadStates] public object? A(object? p) => "ready";
    [UploadStates] public object? B(object? p) => "idle";     // SYN021
}
