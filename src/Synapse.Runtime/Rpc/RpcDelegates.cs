using Synapse.MessagePack;

namespace Synapse.Rpc;

/// <summary>Writes the positional argument array of a call (header and items).</summary>
public delegate void RpcArgumentsWriter<TArgs>(ref MsgPackWriter writer, in TArgs arguments);

/// <summary>Reads the <c>result</c> value of a successful response.</summary>
public delegate TResult RpcResultReader<TResult>(ref MsgPackReader reader);

/// <summary>Writes one item of a streamed result (generated for each streaming endpoint).</summary>
public delegate void RpcItemWriter<TItem>(ref MsgPackWriter writer, TItem item);
