using System.Globalization;

namespace Synapse.MessagePack;

/// <summary>
/// Thrown when MessagePack data is malformed, truncated, nested too deeply, or does not hold the expected type.
/// The message names the byte offset and what was expected and found.
/// </summary>
public sealed class MsgPackException : FormatException
{
    /// <summary>Creates an exception for a problem at <paramref name="offset"/>.</summary>
    /// <param name="offset">Byte offset in the input where the offending value starts.</param>
    /// <param name="detail">What was expected and found, e.g. "expected an integer but found str (0xa3).".</param>
    public MsgPackException(long offset, string detail)
        : this(offset, detail, null)
    {
    }

    /// <summary>Creates an exception for a problem at <paramref name="offset"/> caused by <paramref name="innerException"/>.</summary>
    /// <param name="offset">Byte offset in the input where the offending value starts.</param>
    /// <param name="detail">What was expected and found.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public MsgPackException(long offset, string detail, Exception? innerException)
        : base(string.Create(CultureInfo.InvariantCulture, $"Invalid MessagePack at offset {offset}: {detail}"), innerException)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the input where the offending value starts.</summary>
    public long Offset { get; }
}
