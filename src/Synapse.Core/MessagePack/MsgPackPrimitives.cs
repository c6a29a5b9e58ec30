namespace Synapse.MessagePack;

/// <summary>Outcome of decoding one token from a span.</summary>
internal enum DecodeResult : byte
{
    /// <summary>The token was decoded.</summary>
    Success,

    /// <summary>The next token is not of the requested kind.</summary>
    TokenMismatch,

    /// <summary>The span is empty.</summary>
    EmptyBuffer,

    /// <summary>The span ends inside the token.</summary>
    InsufficientBuffer,
}

/// <summary>
/// Layer 1 of the codec: pure span encoders (MsgPackPrimitives.Write.cs) and decoders (MsgPackPrimitives.Read.cs),
/// with no state and no allocation; <see cref="MsgPackWriter"/> and <see cref="MsgPackReader"/> build on them.
/// </summary>
internal static partial class MsgPackPrimitives
{
    /// <summary>Largest encoded size of any header or fixed-size scalar (int 64, float 64).</summary>
    public const int MaxScalarSize = 9;

    /// <summary>Largest token header as decoded by <see cref="TryReadTokenHeader"/> (ext 32: code, length, type).</summary>
    public const int MaxTokenHeaderSize = 6;

    /// <summary>Largest string, binary, array or map header.</summary>
    public const int MaxHeaderSize = 5;

    /// <summary>Largest extension header (ext 32: code, length, type).</summary>
    public const int MaxExtensionHeaderSize = 6;

    /// <summary>Largest timestamp (timestamp 96).</summary>
    public const int MaxTimestampSize = 15;
}
