using System.Diagnostics.Metrics;

namespace Synapse.Tests;

/// <summary>A meter factory that keeps the meters it made, so a test listens to its component's meters only.</summary>
internal sealed class RecordingMeterFactory : IMeterFactory
{
    public List<Meter> Created { get; } = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        Created.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in Created)
        {
            meter.Dispose();
        }
    }
}
