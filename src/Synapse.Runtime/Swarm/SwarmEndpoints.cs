namespace Synapse.Swarm;

/// <summary>
/// The swarm built-ins' wire names, as synapse-p2p v2 names them (with <see cref="SwarmNode.AskEndpoint"/>, and the
/// host's <c>_synapse.peers</c>, which a swarm member answers with its membership).
/// </summary>
internal static class SwarmEndpoints
{
    public const string Join = "_synapse.join";
    public const string Heartbeat = "_synapse.heartbeat";
    public const string ConversationEvent = "_synapse.conversation.event";
    public const string BroadcastReply = "_synapse.broadcast.reply";
    public const string ConversationSync = "_synapse.conversation.sync";
    public const string ConversationList = "_synapse.conversation.list";
}
