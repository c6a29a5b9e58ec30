namespace Synapse.Generated.Tests.Tracing;

/// <summary>
/// The tests that export spans run alone: a tracer provider hears every span of its sources in the process, and the
/// in-memory exporter's list is not safe to read while another test's spans are added to it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "tracing";
}
