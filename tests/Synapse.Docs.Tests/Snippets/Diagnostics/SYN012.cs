// docs/diagnostics/SYN012.md, "Example": code the Synapse generator rejects, compiled by DiagnosticExampleTests (not by
// this project), which checks that SYN012 is reported on each line whose comment starts with SYN012.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Synapse;
using Synapse.Flows;

namespace Docs.SYN012;

[SynapseMessage]
public class Invoice
{
    public decimal Total { get; set; }    // SYN012: 'decimal' is not supported
}

[SynapseMessage]
public sealed record Invoice(string Number, double Total);   // fixed
