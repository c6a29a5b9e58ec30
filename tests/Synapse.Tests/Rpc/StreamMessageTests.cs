using System.Buffers;
using Synapse.MessagePack;
using Synapse.Rpc;

namespace Synapse.Tests.Rpc;

/// <summary>The stream messages of a multiplexed link as each side reads them: credit notices on the host, items on the client.</summary>
public sealed class StreamMessageTests
{
    [Fact]
    public void A_credit_notice_names_its_call_and_how_many_items_it_grants()
    {
        var error = ParseRequest(MsgPackValue.Map(("id", "7"), ("type", "credit"), ("n", 8)), multiplexed: true, out var request);

        Assert.Null(error);
        Assert.Equal((RequestKind.Credit, 8, "7"), (request.Kind, request.Credits, new MsgPackReader(request.Id).ReadString()));
    }

    [Theory]
    [InlineData(0, "n must be between 1 and 1024, not 0")]
    [InlineData(1025, "n must be between 1 and 1024, not 1025")]
    [InlineData(-3, "n must be between 1 and 1024, not -3")]
    public void A_credit_outside_its_bounds_is_refused(int credits, string expected)
    {
        Assert.Equal(expected, ParseRequest(MsgPackValue.Map(("id", "7"), ("type", "credit"), ("n", credits)), multiplexed: true, out _));
    }

    [Fact]
    public void A_credit_notice_needs_an_id_and_an_integer_count()
    {
        Assert.Equal("credit message without n", ParseRequest(MsgPackValue.Map(("id", "7"), ("type", "credit")), multiplexed: true, out _));
        Assert.Equal("credit message without id", ParseRequest(MsgPackValue.Map(("type", "credit"), ("n", 2)), multiplexed: true, out _));
        Assert.Equal("n must be an int, not str", ParseRequest(MsgPackValue.Map(("id", "7"), ("type", "credit"), ("n", "2")), multiplexed: true, out _));
    }

    [Fact]
    public void A_request_that_carries_a_count_is_refused_as_an_unknown_field()
    {
        var request = MsgPackValue.Map(("endpoint", "count"), ("id", "1"), ("args", MsgPackValue.FromArray([])), ("kwargs", MsgPackValue.Map()), ("type", "request"), ("n", 4));

        Assert.Equal("unknown request fields: ['n']", ParseRequest(request, multiplexed: true, out _));
    }

    [Fact]
    public void A_one_call_link_knows_no_credit_notice()
    {
        Assert.Equal("unknown RPC message type: credit", ParseRequest(MsgPackValue.Map(("id", "7"), ("type", "credit")), multiplexed: false, out _));
    }

    [Fact]
    public void A_stream_item_is_read_where_streams_were_negotiated_only()
    {
        var item = MsgPackValue.Map(("id", "5"), ("type", "item"), ("value", 42)).ToBytes();

        Assert.Null(RpcResponseParser.TryParse(new ReadOnlySequence<byte>(item), MsgPackReaderOptions.Default, out var response, allowItems: true));
        Assert.True(response.IsItem);
        Assert.Equal(42, MsgPackValue.Parse(response.Result).AsInt64());
        Assert.Equal("unknown RPC message type: item", RpcResponseParser.TryParse(new ReadOnlySequence<byte>(item), MsgPackReaderOptions.Default, out _));
    }

    [Fact]
    public void An_item_without_a_value_and_a_response_with_one_are_refused()
    {
        var empty = MsgPackValue.Map(("id", "5"), ("type", "item")).ToBytes();
        var valued = MsgPackValue.Map(("id", "5"), ("ok", true), ("result", 1), ("error", MsgPackValue.Nil), ("type", "response"), ("value", 2)).ToBytes();

        Assert.Equal("stream item without 'value'", RpcResponseParser.TryParse(new ReadOnlySequence<byte>(empty), MsgPackReaderOptions.Default, out _, allowItems: true));
        Assert.Equal("unknown response fields: ['value']", RpcResponseParser.TryParse(new ReadOnlySequence<byte>(valued), MsgPackReaderOptions.Default, out _, allowItems: true));
    }

    private static string? ParseRequest(MsgPackValue message, bool multiplexed, out ParsedRequest request) =>
        RpcRequestParser.TryParse(new ReadOnlySequence<byte>(message.ToBytes()), MsgPackReaderOptions.Default, allowCancel: multiplexed, out request);
}
