namespace Synapse.MessagePack;

/// <summary>A MessagePack extension value: an application-defined type code and its payload bytes.</summary>
public readonly struct MsgPackExtension : IEquatable<MsgPackExtension>
{
    /// <summary>Creates an extension value.</summary>
    /// <param name="typeCode">The type code; negative codes are reserved by the specification (-1 is the timestamp).</param>
    /// <param name="data">The payload, not copied.</param>
    public MsgPackExtension(sbyte typeCode, ReadOnlyMemory<byte> data)
    {
        TypeCode = typeCode;
        Data = data;
    }

    /// <summary>The extension type code.</summary>
    public sbyte TypeCode { get; }

    /// <summary>The payload bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Compares type codes and payload bytes.</summary>
    public static bool operator ==(MsgPackExtension left, MsgPackExtension right) => left.Equals(right);

    /// <summary>Compares type codes and payload bytes.</summary>
    public static bool operator !=(MsgPackExtension left, MsgPackExtension right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(MsgPackExtension other) => TypeCode == other.TypeCode && Data.Span.SequenceEqual(other.Data.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MsgPackExtension other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(TypeCode);
        hash.AddBytes(Data.Span);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"ext({TypeCode}, {Convert.ToHexString(Data.Span)})";
}
