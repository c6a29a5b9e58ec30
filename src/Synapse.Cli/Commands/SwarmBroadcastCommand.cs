using System.CommandLine;
using System.Threading.Channels;
using Synapse.Cli.Swarm;
using Synapse.MessagePack;
using Synapse.Swarm;

namespace Synapse.Cli.Commands;

/// <summary>
/// <c>synapse swarm broadcast SEED MESSAGE</c>: joins the swarm, calls <c>--endpoint</c> (synapse-p2p's
/// <c>synapse.message</c>) with the message on every peer as a one-way broadcast, prints its nonce, then each reply
/// as it arrives until every peer called has replied or <c>--wait</c> seconds pass. Exits 0: replies are optional.
/// </summary>
internal static class SwarmBroadcastCommand
{
    public static Command Create(CliConsole console)
    {
        var member = new SwarmMemberOptions();
        var message = new Argument<string>("MESSAGE") { Description = "The text to send, as the endpoint's one argument" };
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint to call on every peer", HelpName = "NAME", DefaultValueFactory = _ => "synapse.message" };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for replies; 0 sends and exits", HelpName = "SECONDS", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print the broadcast and each reply as one line of JSON" };
        var command = new Command("broadcast", "Send a message to every peer of a swarm and print the replies as they arrive");
        member.AddTo(command);
        command.Arguments.Add(message);
        command.Options.Add(endpoint);
        command.Options.Add(wait);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = member.Read(parse);
            var name = parse.GetValue(endpoint);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw CliException.Usage("--endpoint must not be empty");
            }

            var waiting = Seconds.Read(parse, wait, zeroAllowed: true);
            var asJson = parse.GetValue(json);
            await using var joined = await SwarmMember.JoinAsync(settings, cancellationToken).ConfigureAwait(false);
            var node = joined.Node;
            var replies = Channel.CreateUnbounded<SwarmReply>();
            void OnReply(object? sender, SwarmReplyEventArgs e) => replies.Writer.TryWrite(e.Reply);
            node.BroadcastReplied += OnReply; // before sending: a quick peer may reply before the broadcast returns
            try
            {
                var peers = node.Membership.Peers.Count;
                var broadcast = await node.BroadcastAsync(name, [parse.GetRequiredValue(message)], cancellationToken: cancellationToken).ConfigureAwait(false);
                await console.WriteLineNowAsync(asJson
                    ? MsgPackValue.Map(("event", "broadcast"), ("nonce", broadcast.Nonce), ("endpoint", name), ("peers", peers)).ToJson()
                    : $"broadcast {broadcast.Nonce} ({name}) to {peers} peer(s)").ConfigureAwait(false);
                var count = await PrintRepliesAsync(broadcast, replies.Reader, peers, waiting, asJson, console, cancellationToken).ConfigureAwait(false);
                if (!asJson && waiting > TimeSpan.Zero)
                {
                    await console.WriteLineNowAsync($"{count} of {peers} peer(s) replied").ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }
            finally
            {
                node.BroadcastReplied -= OnReply;
            }
        });
        return command;
    }

    /// <summary>Prints the replies to <paramref name="broadcast"/> until <paramref name="peers"/> replied or <paramref name="waiting"/> passed.</summary>
    /// <returns>How many replied.</returns>
    private static async Task<int> PrintRepliesAsync(SwarmBroadcast broadcast, ChannelReader<SwarmReply> replies, int peers, TimeSpan waiting, bool json, CliConsole console, CancellationToken cancellationToken)
    {
        var count = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(waiting);
        try
        {
            while (count < peers && waiting > TimeSpan.Zero)
            {
                var reply = await replies.ReadAsync(deadline.Token).ConfigureAwait(false);
                if (reply.Nonce != broadcast.Nonce)
                {
                    continue;
                }

                count++;
                await console.WriteLineNowAsync(json
                    ? MsgPackValue.Map(("event", "reply"), ("nonce", reply.Nonce), ("peer", SwarmFormat.PeerJson(reply.Peer)), ("result", reply.Result)).ToJson()
                    : $"reply from {SwarmFormat.Peer(reply.Peer)}: {reply.Result.ToJson()}").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // --wait passed.
        }

        return count;
    }
}
