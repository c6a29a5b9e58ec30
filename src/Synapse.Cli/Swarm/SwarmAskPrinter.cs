using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Cli.Swarm;

/// <summary>
/// Prints a swarm ask's steps as they happen (<see cref="SwarmAskOptions.Progress"/>): each peer asked, ack, reply,
/// error and unreachable verdict, one line each, as text or JSON; then the peers that stayed silent.
/// </summary>
internal sealed class SwarmAskPrinter(CliConsole console, bool json) : IProgress<SwarmAskUpdate>
{
    private readonly Lock _lock = new();
    private bool _headed;

    /// <summary>Prints <paramref name="value"/> at once (called on the thread that received it).</summary>
    public void Report(SwarmAskUpdate value)
    {
        var name = value.Kind switch
        {
            SwarmAskUpdateKind.Asked => "asked",
            SwarmAskUpdateKind.Acknowledged => "ack",
            SwarmAskUpdateKind.Replied => "reply",
            SwarmAskUpdateKind.Failed => "error",
            _ => "unreachable",
        };
        Write(value.Nonce, name, value.Peer, value.Result, value.Error);
    }

    /// <summary>Prints a <c>timeout</c> line for each peer that stayed silent.</summary>
    public void Finish(SwarmAskResult result)
    {
        foreach (var peer in result.TimedOut)
        {
            Write(result.Nonce, "timeout", peer, null, null);
        }
    }

    private void Write(string nonce, string step, SwarmPeer peer, MsgPackValue? result, string? error)
    {
        string line;
        if (json)
        {
            line = MsgPackValue.Map(
                ("event", step),
                ("nonce", nonce),
                ("peer", SwarmFormat.PeerJson(peer)),
                ("result", result ?? MsgPackValue.Nil),
                ("error", error)).ToJson();
        }
        else
        {
            var what = step switch
            {
                "asked" => $"at {peer.Address}:{peer.Port}",
                "reply" => (result ?? MsgPackValue.Nil).ToJson(),
                "timeout" => "nothing before the timeout",
                _ => error ?? "",
            };
            line = $"{step,-11} {SwarmFormat.Peer(peer)}" + (what.Length == 0 ? "" : step == "asked" ? $" {what}" : $": {what}");
        }

        lock (_lock)
        {
            if (!json && !_headed)
            {
                console.Out.WriteLine($"ask {nonce}");
                _headed = true;
            }

            console.WriteLineNow(line);
        }
    }
}
