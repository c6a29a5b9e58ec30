using Synapse.Discovery;
using Synapse.MessagePack;

namespace Synapse.Relay;

/// <summary>The discovery fields of a relay frame: a card, a page of cards, a query.</summary>
public readonly partial record struct RelayFrame
{
    private static int QueryFieldCount(AgentQuery? query) => query is null ? 0
        : 1 + (query.Capability is null ? 0 : 1) + (query.Role is null ? 0 : 1) + (query.Name is null ? 0 : 1)
            + (query.Text is null ? 0 : 1) + (query.PageToken is null ? 0 : 1);

    private void WriteDiscovery(ref MsgPackWriter writer)
    {
        if (!Card.IsEmpty)
        {
            writer.WriteStringUtf8("card"u8);
            writer.WriteBinary(Card.Span);
        }

        if (Cards is { } cards)
        {
            writer.WriteStringUtf8("cards"u8);
            writer.WriteArrayHeader(cards.Count);
            foreach (var card in cards)
            {
                writer.WriteBinary(card.Span);
            }
        }

        WriteOptional(ref writer, "next"u8, NextPageToken);
        if (Query is { } query)
        {
            WriteOptional(ref writer, "capability"u8, query.Capability);
            WriteOptional(ref writer, "role"u8, query.Role);
            WriteOptional(ref writer, "name"u8, query.Name);
            WriteOptional(ref writer, "text"u8, query.Text);
            WriteOptional(ref writer, "page_token"u8, query.PageToken);
            writer.WriteStringUtf8("page_size"u8);
            writer.WriteInt32(query.PageSize);
        }
    }

    private static ReadOnlyMemory<byte>[] ReadCards(ref MsgPackReader reader)
    {
        var count = reader.ReadArrayHeader();
        if (count > MaxCardsPerFrame)
        {
            throw new RelayProtocolException($"'cards' holds at most {MaxCardsPerFrame} cards, not {count}");
        }

        var cards = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            cards[i] = reader.ReadBinary();
        }

        return cards;
    }
}
