namespace Synapse.MessagePack;

/// <summary>Limits applied by <see cref="MsgPackReader"/> to untrusted input.</summary>
public sealed class MsgPackReaderOptions
{
    private readonly int _maxDepth = 64;

    /// <summary>
    /// Maximum nesting of arrays, maps and user objects (see <see cref="MsgPackReader.IncreaseDepth"/>),
    /// enforced by <see cref="MsgPackReader.Skip"/>, <see cref="MsgPackReader.ReadRaw"/> and
    /// <see cref="MsgPackValue.ReadFrom"/>. Defaults to 64.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxDepth = value;
        }
    }

    /// <summary>The default options (<see cref="MaxDepth"/> = 64).</summary>
    public static MsgPackReaderOptions Default { get; } = new();
}
