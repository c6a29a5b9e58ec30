using System.Diagnostics.Metrics;
using Synapse.Rpc;

namespace Synapse.Client;

/// <summary>
/// A client's instruments, on a meter named <c>Synapse.Client</c>: from the app's <see cref="IMeterFactory"/> when the
/// client is given one, otherwise one meter shared by the process's clients (as .NET's own HTTP client does), so a
/// client made per call does not make a meter per call.
/// </summary>
internal static class ClientMetrics
{
    public const string MeterName = "Synapse.Client";

    private static readonly Lazy<RpcCallInstruments> Shared = new(() => Create(new Meter(MeterName)));

    /// <summary>The instruments for a client given <paramref name="factory"/> (or none).</summary>
    public static RpcCallInstruments For(IMeterFactory? factory) =>
        factory is null ? Shared.Value : Create(factory.Create(new MeterOptions(MeterName)));

    private static RpcCallInstruments Create(Meter meter) => new(meter, "client",
        "Calls made, answered or not", "Calls that failed, by error code", "Time from sending a call to its answer or failure");
}
