using System.Collections.Concurrent;
using Synapse.Discovery;

namespace Synapse.Relay.Client;

/// <summary>Discovery through the connected relay: publishing this agent's card, finding others'.</summary>
public sealed partial class RelayClient
{
    /// <summary>How far a card's issuer's clock may be ahead of ours.</summary>
    private static readonly TimeSpan CardClockSkew = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, PendingRequest> _requests = new();

    /// <summary>Publishes this agent's card in the connected relay's directory (waiting for a connection first).</summary>
    /// <param name="card">A card of this client's agent (see <see cref="AgentCard.Sign(Identity.AgentIdentity, string, string, string, IReadOnlyList{AgentCapability}, IReadOnlyList{RelayAddress}, Envelopes.EncryptionKeyCertificate?, DateTimeOffset, DateTimeOffset)"/>).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>What the relay's directory did: <see cref="PublishStatus.Accepted"/>, <see cref="PublishStatus.Replaced"/> or <see cref="PublishStatus.Unchanged"/>.</returns>
    /// <exception cref="ArgumentException">The card is another agent's.</exception>
    /// <exception cref="RelayRefusedException">The relay refused it (<c>forged_card</c>, <c>expired_card</c>, <c>stale_card</c>,
    /// <c>card_too_large</c>, <c>directory_full</c>, <c>rate_limited</c>…).</exception>
    /// <exception cref="IOException">The link was lost before the answer.</exception>
    public async Task<PublishStatus> PublishCardAsync(AgentCard card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Agent != Id)
        {
            throw new ArgumentException($"The card is {card.Agent}'s; this client is {Id}.", nameof(card));
        }

        var reply = await RequestAsync(new RelayFrame { Op = RelayOp.PublishCard, MessageId = Guid.NewGuid(), Card = card.Encoded }, cancellationToken).ConfigureAwait(false);
        return reply.Message switch
        {
            nameof(PublishStatus.Replaced) => PublishStatus.Replaced,
            nameof(PublishStatus.Unchanged) => PublishStatus.Unchanged,
            _ => PublishStatus.Accepted,
        };
    }

    /// <summary>
    /// Searches the connected relay's directory. Every card returned is verified here again (signature, validity,
    /// encryption key) and checked against the query; a card that fails is dropped and logged, since a relay is not
    /// trusted.
    /// </summary>
    /// <param name="query">The criteria and the page.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The page of verified cards, and the token of the next page.</returns>
    /// <exception cref="ArgumentException">The query is invalid.</exception>
    /// <exception cref="RelayRefusedException">The relay refused the query (<c>bad_query</c>, <c>rate_limited</c>).</exception>
    /// <exception cref="IOException">The link was lost before the answer.</exception>
    public async Task<AgentPage> FindAgentsAsync(AgentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var reply = await RequestAsync(new RelayFrame { Op = RelayOp.Find, MessageId = Guid.NewGuid(), Query = query }, cancellationToken).ConfigureAwait(false);
        var now = _options.TimeProvider.GetUtcNow();
        var cards = new List<AgentCard>(reply.Cards?.Count ?? 0);
        foreach (var encoded in reply.Cards ?? [])
        {
            try
            {
                var card = AgentCard.DecodeVerified(encoded, now, CardClockSkew);
                if (query.Matches(card))
                {
                    cards.Add(card);
                }
                else
                {
                    RelayClientLog.CardMismatch(_logger, card.Agent);
                }
            }
            catch (AgentCardException e)
            {
                RelayClientLog.CardDropped(_logger, e.Reason, e.Message);
            }
        }

        return new AgentPage(cards, reply.NextPageToken);
    }

    /// <summary>Hands an answer to the request with its id; false when no request waits for it.</summary>
    internal bool TryCompleteRequest(RelayFrame frame) =>
        frame.MessageId != Guid.Empty && _requests.TryRemove(frame.MessageId, out var pending) && pending.Waiter.TrySetResult(frame);

    /// <summary>Fails the requests sent on a link that was lost: their answers will not come. Requests not sent yet
    /// wait for the next link.</summary>
    private void FailRequests(RelayConnection lost)
    {
        foreach (var (id, pending) in _requests)
        {
            if (ReferenceEquals(Volatile.Read(ref pending.SentOn), lost) && _requests.TryRemove(id, out _))
            {
                pending.Waiter.TrySetException(new IOException($"The link to {lost.Relay.EndPoint} was lost before the relay answered."));
            }
        }
    }

    private async Task<RelayFrame> RequestAsync(RelayFrame request, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest();
        _requests[request.MessageId] = pending;
        try
        {
            var encoded = request.Encode();
            while (true)
            {
                await WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
                lock (_sendLock)
                {
                    if (_connection is { } connection)
                    {
                        Volatile.Write(ref pending.SentOn, connection);
                        connection.SendFrame(encoded);
                        break;
                    }
                }
            }

            var reply = await pending.Waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return reply.Op == RelayOp.Nack
                ? throw new RelayRefusedException(request.MessageId, reply.Error ?? "refused", reply.Message ?? "")
                : reply;
        }
        finally
        {
            _requests.TryRemove(request.MessageId, out _);
        }
    }

    /// <summary>A request waiting for its answer, and the link it was sent on.</summary>
    private sealed class PendingRequest
    {
        public readonly TaskCompletionSource<RelayFrame> Waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public RelayConnection? SentOn;
    }
}
