using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace Synapse.Rpc;

/// <summary>
/// Spans of calls, on the <c>ActivitySource</c> named <c>Synapse.Rpc</c>, following OpenTelemetry's RPC conventions
/// (<c>rpc.system</c>, <c>rpc.service</c>, <c>rpc.method</c>, <c>server.address</c>, error status). With no listener
/// nothing is created: every method returns at once.
/// </summary>
internal static class RpcTracing
{
    public const string SourceName = "Synapse.Rpc";

    private const string System = "synapse";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A client span for a call of <paramref name="endpoint"/> on <paramref name="peer"/>; null when nobody listens.</summary>
    public static Activity? StartClient(string endpoint, EndPoint peer)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(endpoint, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", System);
            activity.SetTag("rpc.method", endpoint);
            switch (peer)
            {
                case IPEndPoint ip:
                    activity.SetTag("server.address", ip.Address.ToString());
                    activity.SetTag("server.port", ip.Port);
                    break;
                case DnsEndPoint dns:
                    activity.SetTag("server.address", dns.Host);
                    activity.SetTag("server.port", dns.Port);
                    break;
            }
        }

        return activity;
    }

    /// <summary>
    /// A server span for a call of <paramref name="endpoint"/> on agent <paramref name="agent"/>, the child of the
    /// caller's span when the request carried a valid W3C trace context; null when nobody listens. It becomes
    /// <see cref="Activity.Current"/>: the caller restores the previous one once the handler has been started.
    /// </summary>
    public static Activity? StartServer(string agent, string endpoint, ReadOnlySequence<byte> traceParent, ReadOnlySequence<byte> traceState, EndPoint? remote)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(
            traceParent.IsEmpty ? null : Encoding.UTF8.GetString(traceParent),
            traceState.IsEmpty ? null : Encoding.UTF8.GetString(traceState),
            isRemote: true,
            out var parent);
        var activity = Source.StartActivity(endpoint, ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", System);
            activity.SetTag("rpc.service", agent);
            activity.SetTag("rpc.method", endpoint);
            if (remote is IPEndPoint ip)
            {
                activity.SetTag("client.address", ip.Address.ToString());
                activity.SetTag("client.port", ip.Port);
            }
        }

        return activity;
    }

    /// <summary>Ends a span: an error code marks it failed (<c>error.type</c>); the ambient span of the thread is kept.</summary>
    public static void Stop(Activity? activity, string? errorCode, string? errorMessage = null)
    {
        if (activity is null)
        {
            return;
        }

        if (errorCode is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, errorMessage ?? errorCode);
            activity.SetTag("error.type", errorCode);
        }

        var ambient = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(ambient, activity))
        {
            Activity.Current = ambient; // stopping sets Current to the span's parent on this thread
        }
    }
}
