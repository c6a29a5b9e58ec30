using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Synapse.MessagePack;

/// <summary>
/// An immutable MessagePack value of any type: a small DOM for untyped calls, task contexts, JSON conversion and tests.
/// </summary>
/// <remarks>
/// Equality is structural. Integers compare by numeric value whatever their encoding; floats compare by value
/// (NaN equals NaN, float 32 and float 64 of the same value are equal); an integer never equals a float.
/// Maps compare as unordered collections of entries, while <see cref="AsMap"/> and encoding keep insertion order.
/// </remarks>
public sealed partial class MsgPackValue : IEquatable<MsgPackValue>
{
    private readonly MsgPackType _type;
    private readonly bool _flag;         // Integer: negative; Float: float 32
    private readonly ulong _bits;        // Boolean: 0/1; Integer: raw bits; Float: double bits; Extension: type code
    private readonly object? _reference; // String: string; Array: MsgPackValue[]; Map: KeyValuePair<MsgPackValue, MsgPackValue>[]
    private readonly ReadOnlyMemory<byte> _bytes; // Binary and Extension payloads

    private MsgPackValue(MsgPackType type, ulong bits = 0, bool flag = false, object? reference = null, ReadOnlyMemory<byte> bytes = default)
    {
        _type = type;
        _bits = bits;
        _flag = flag;
        _reference = reference;
        _bytes = bytes;
    }

    /// <summary>The nil value.</summary>
    public static MsgPackValue Nil { get; } = new(MsgPackType.Nil);

    /// <summary>The boolean true.</summary>
    public static MsgPackValue True { get; } = new(MsgPackType.Boolean, 1);

    /// <summary>The boolean false.</summary>
    public static MsgPackValue False { get; } = new(MsgPackType.Boolean, 0);

    /// <summary>The type of this value.</summary>
    public MsgPackType Type => _type;

    /// <summary>Whether this value is nil.</summary>
    public bool IsNil => _type == MsgPackType.Nil;

    /// <summary>Whether this is a <see cref="MsgPackType.Float"/> held as float 32 (and encoded as such).</summary>
    public bool IsFloat32 => _type == MsgPackType.Float && _flag;

    /// <summary>The value of the entry with string key <paramref name="key"/> (the last one if repeated), or null when missing or when this is not a map.</summary>
    /// <param name="key">The key to look up (ordinal comparison).</param>
    public MsgPackValue? this[string key]
    {
        get
        {
            if (_reference is KeyValuePair<MsgPackValue, MsgPackValue>[] entries)
            {
                for (int i = entries.Length - 1; i >= 0; i--)
                {
                    if (entries[i].Key._reference is string s && string.Equals(s, key, StringComparison.Ordinal))
                    {
                        return entries[i].Value;
                    }
                }
            }

            return null;
        }
    }

    /// <summary>Converts a boolean.</summary>
    public static implicit operator MsgPackValue(bool value) => From(value);

    /// <summary>Converts an integer.</summary>
    public static implicit operator MsgPackValue(int value) => From(value);

    /// <summary>Converts an integer.</summary>
    public static implicit operator MsgPackValue(long value) => From(value);

    /// <summary>Converts an integer.</summary>
    public static implicit operator MsgPackValue(ulong value) => From(value);

    /// <summary>Converts a float 64.</summary>
    public static implicit operator MsgPackValue(double value) => From(value);

    /// <summary>Converts a string; null becomes <see cref="Nil"/>.</summary>
    public static implicit operator MsgPackValue(string? value) => From(value);

    /// <summary>Structural equality.</summary>
    public static bool operator ==(MsgPackValue? left, MsgPackValue? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(MsgPackValue? left, MsgPackValue? right) => !(left == right);

    /// <summary>A boolean.</summary>
    public static MsgPackValue From(bool value) => value ? True : False;

    /// <summary>An integer.</summary>
    public static MsgPackValue From(long value) => new(MsgPackType.Integer, unchecked((ulong)value), value < 0);

    /// <summary>An integer.</summary>
    public static MsgPackValue From(ulong value) => new(MsgPackType.Integer, value);

    /// <summary>A float 64.</summary>
    public static MsgPackValue From(double value) => new(MsgPackType.Float, unchecked((ulong)BitConverter.DoubleToInt64Bits(value)));

    /// <summary>A float 32.</summary>
    public static MsgPackValue From(float value) => new(MsgPackType.Float, unchecked((ulong)BitConverter.DoubleToInt64Bits(value)), flag: true);

    /// <summary>A string; null becomes <see cref="Nil"/>.</summary>
    public static MsgPackValue From(string? value) => value is null ? Nil : new(MsgPackType.String, reference: value);

    /// <summary>Binary data wrapping <paramref name="value"/> without copying; null becomes <see cref="Nil"/>.</summary>
    public static MsgPackValue From(byte[]? value) => value is null ? Nil : new(MsgPackType.Binary, bytes: value);

    /// <summary>Binary data, copied from <paramref name="value"/>.</summary>
    public static MsgPackValue FromBinary(ReadOnlySpan<byte> value) => new(MsgPackType.Binary, bytes: value.ToArray());

    /// <summary>Binary data wrapping <paramref name="value"/> without copying.</summary>
    public static MsgPackValue FromBinary(ReadOnlyMemory<byte> value) => new(MsgPackType.Binary, bytes: value);

    /// <summary>An array of <paramref name="items"/> (null items become <see cref="Nil"/>).</summary>
    public static MsgPackValue FromArray(IEnumerable<MsgPackValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        MsgPackValue[] array = [.. items];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] ??= Nil;
        }

        return new(MsgPackType.Array, reference: array);
    }

    /// <summary>A map of <paramref name="entries"/>, in order (null keys and values become <see cref="Nil"/>).</summary>
    public static MsgPackValue FromMap(IEnumerable<KeyValuePair<MsgPackValue, MsgPackValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        KeyValuePair<MsgPackValue, MsgPackValue>[] array = [.. entries];
        for (int i = 0; i < array.Length; i++)
        {
            if (array[i].Key is null || array[i].Value is null)
            {
                array[i] = new(array[i].Key ?? Nil, array[i].Value ?? Nil);
            }
        }

        return new(MsgPackType.Map, reference: array);
    }

    /// <summary>
    /// A map with string keys, in the order given (null values become <see cref="Nil"/>):
    /// <c>MsgPackValue.Map(("id", id), ("ok", true))</c>.
    /// </summary>
    public static MsgPackValue Map(params ReadOnlySpan<(string Key, MsgPackValue Value)> entries)
    {
        var array = new KeyValuePair<MsgPackValue, MsgPackValue>[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            array[i] = new(From(entries[i].Key), entries[i].Value ?? Nil);
        }

        return new(MsgPackType.Map, reference: array);
    }

    /// <summary>A map with string keys, in order (null values become <see cref="Nil"/>).</summary>
    public static MsgPackValue FromMap(IEnumerable<KeyValuePair<string, MsgPackValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new List<KeyValuePair<MsgPackValue, MsgPackValue>>();
        foreach (KeyValuePair<string, MsgPackValue> entry in entries)
        {
            list.Add(new(From(entry.Key), entry.Value ?? Nil));
        }

        return new(MsgPackType.Map, reference: list.ToArray());
    }

    /// <summary>An extension value (its payload is not copied).</summary>
    public static MsgPackValue FromExtension(MsgPackExtension extension) =>
        new(MsgPackType.Extension, unchecked((ulong)extension.TypeCode), bytes: extension.Data);

    /// <summary>A timestamp: extension -1 in its smallest form.</summary>
    public static MsgPackValue FromTimestamp(DateTimeOffset value)
    {
        MsgPackPrimitives.ToUnixTime(value, out long seconds, out uint nanoseconds);
        return FromTimestamp(seconds, nanoseconds);
    }

    /// <summary>A timestamp: extension -1 in its smallest form.</summary>
    /// <param name="seconds">Seconds since 1970-01-01T00:00:00Z.</param>
    /// <param name="nanoseconds">Nanoseconds within the second, below 1 000 000 000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanoseconds"/> is 1 000 000 000 or more.</exception>
    public static MsgPackValue FromTimestamp(long seconds, uint nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(nanoseconds, 1_000_000_000u);
        Span<byte> encoded = stackalloc byte[15];
        MsgPackPrimitives.TryWriteTimestamp(encoded, seconds, nanoseconds, out int written);
        int header = encoded[0] == MsgPackCode.Ext8 ? 3 : 2;
        return FromExtension(new MsgPackExtension(MsgPackCode.TimestampType, encoded[header..written].ToArray()));
    }

    /// <summary>The boolean value.</summary>
    /// <exception cref="InvalidOperationException">This is not a boolean.</exception>
    public bool AsBoolean()
    {
        Expect(MsgPackType.Boolean);
        return _bits != 0;
    }

    /// <summary>The integer value.</summary>
    /// <exception cref="InvalidOperationException">This is not an integer.</exception>
    /// <exception cref="OverflowException">The integer is above <see cref="long.MaxValue"/>.</exception>
    public long AsInt64()
    {
        Expect(MsgPackType.Integer);
        if (!_flag && _bits > long.MaxValue)
        {
            throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"The integer {_bits} does not fit in Int64."));
        }

        return unchecked((long)_bits);
    }

    /// <summary>The integer value.</summary>
    /// <exception cref="InvalidOperationException">This is not an integer.</exception>
    /// <exception cref="OverflowException">The integer is negative.</exception>
    public ulong AsUInt64()
    {
        Expect(MsgPackType.Integer);
        if (_flag)
        {
            throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"The integer {unchecked((long)_bits)} does not fit in UInt64."));
        }

        return _bits;
    }

    /// <summary>The numeric value of a float or an integer.</summary>
    /// <exception cref="InvalidOperationException">This is neither a float nor an integer.</exception>
    public double AsDouble() => _type switch
    {
        MsgPackType.Float => FloatValue,
        MsgPackType.Integer => _flag ? unchecked((long)_bits) : (double)_bits,
        _ => throw WrongType("Float"),
    };

    /// <summary>The string value.</summary>
    /// <exception cref="InvalidOperationException">This is not a string.</exception>
    public string AsString()
    {
        Expect(MsgPackType.String);
        return (string)_reference!;
    }

    /// <summary>The binary payload.</summary>
    /// <exception cref="InvalidOperationException">This is not binary data.</exception>
    public ReadOnlyMemory<byte> AsBinary()
    {
        Expect(MsgPackType.Binary);
        return _bytes;
    }

    /// <summary>The array items.</summary>
    /// <exception cref="InvalidOperationException">This is not an array.</exception>
    public IReadOnlyList<MsgPackValue> AsArray()
    {
        Expect(MsgPackType.Array);
        return Array.AsReadOnly((MsgPackValue[])_reference!);
    }

    /// <summary>The map entries, in insertion (or encoded) order.</summary>
    /// <exception cref="InvalidOperationException">This is not a map.</exception>
    public IReadOnlyList<KeyValuePair<MsgPackValue, MsgPackValue>> AsMap()
    {
        Expect(MsgPackType.Map);
        return Array.AsReadOnly((KeyValuePair<MsgPackValue, MsgPackValue>[])_reference!);
    }

    /// <summary>The extension value (timestamps included).</summary>
    /// <exception cref="InvalidOperationException">This is not an extension.</exception>
    public MsgPackExtension AsExtension()
    {
        Expect(MsgPackType.Extension);
        return new MsgPackExtension(ExtensionType, _bytes);
    }

    /// <summary>The instant of a timestamp extension (-1), at 100 ns precision.</summary>
    /// <exception cref="InvalidOperationException">This is not a valid timestamp, or it is outside the range of <see cref="DateTimeOffset"/>.</exception>
    public DateTimeOffset AsTimestamp()
    {
        if (!TryGetTimestamp(out long seconds, out uint nanoseconds))
        {
            throw WrongType("timestamp");
        }

        return MsgPackPrimitives.ToDateTimeOffset(seconds, nanoseconds)
            ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The timestamp {seconds}s is outside the range of DateTimeOffset."));
    }

    /// <summary>Decodes a timestamp extension (-1) into seconds and nanoseconds since the Unix epoch.</summary>
    /// <param name="seconds">Seconds since 1970-01-01T00:00:00Z.</param>
    /// <param name="nanoseconds">Nanoseconds within the second.</param>
    /// <returns>False when this is not a valid timestamp.</returns>
    public bool TryGetTimestamp(out long seconds, out uint nanoseconds)
    {
        if (_type == MsgPackType.Extension && ExtensionType == MsgPackCode.TimestampType)
        {
            return MsgPackPrimitives.TryDecodeTimestamp(_bytes.Span, out seconds, out nanoseconds);
        }

        seconds = 0;
        nanoseconds = 0;
        return false;
    }

    /// <summary>Writes this value.</summary>
    public void WriteTo(ref MsgPackWriter writer)
    {
        switch (_type)
        {
            case MsgPackType.Nil:
                writer.WriteNil();
                break;
            case MsgPackType.Boolean:
                writer.WriteBoolean(_bits != 0);
                break;
            case MsgPackType.Integer when _flag:
                writer.WriteInt64(unchecked((long)_bits));
                break;
            case MsgPackType.Integer:
                writer.WriteUInt64(_bits);
                break;
            case MsgPackType.Float when _flag:
                writer.WriteSingle((float)FloatValue);
                break;
            case MsgPackType.Float:
                writer.WriteDouble(FloatValue);
                break;
            case MsgPackType.String:
                writer.WriteString((string)_reference!);
                break;
            case MsgPackType.Binary:
                writer.WriteBinary(_bytes.Span);
                break;
            case MsgPackType.Array:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                var items = (MsgPackValue[])_reference!;
                writer.WriteArrayHeader(items.Length);
                foreach (MsgPackValue item in items)
                {
                    item.WriteTo(ref writer);
                }

                break;
            case MsgPackType.Map:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                var entries = (KeyValuePair<MsgPackValue, MsgPackValue>[])_reference!;
                writer.WriteMapHeader(entries.Length);
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in entries)
                {
                    entry.Key.WriteTo(ref writer);
                    entry.Value.WriteTo(ref writer);
                }

                break;
            default:
                writer.WriteExtension(ExtensionType, _bytes.Span);
                break;
        }
    }

    /// <summary>Reads one complete value, copying all payloads, limited by <see cref="MsgPackReaderOptions.MaxDepth"/>.</summary>
    /// <exception cref="MsgPackException">The input is malformed, truncated or nested too deeply.</exception>
    public static MsgPackValue ReadFrom(ref MsgPackReader reader)
    {
        switch (reader.NextType)
        {
            case MsgPackType.Nil:
                reader.ReadNil();
                return Nil;
            case MsgPackType.Boolean:
                return reader.ReadBoolean() ? True : False;
            case MsgPackType.Integer:
                ulong raw = reader.ReadIntegerRaw(out bool negative);
                return new(MsgPackType.Integer, raw, negative);
            case MsgPackType.Float:
                double value = reader.ReadFloat(out bool isSingle);
                return isSingle ? From((float)value) : From(value);
            case MsgPackType.String:
                return new(MsgPackType.String, reference: reader.ReadString());
            case MsgPackType.Binary:
                return new(MsgPackType.Binary, bytes: reader.ReadBinary());
            case MsgPackType.Array:
                return ReadArray(ref reader);
            case MsgPackType.Map:
                return ReadMap(ref reader);
            default:
                return FromExtension(reader.ReadExtension());
        }
    }

    /// <summary>Parses <paramref name="msgpack"/>, which must hold exactly one value.</summary>
    /// <exception cref="MsgPackException">The input is malformed, truncated, nested too deeply or has trailing bytes.</exception>
    public static MsgPackValue Parse(ReadOnlySpan<byte> msgpack, MsgPackReaderOptions? options = null) =>
        Parse(new ReadOnlySequence<byte>(msgpack.ToArray()), options);

    /// <summary>Parses <paramref name="msgpack"/>, which must hold exactly one value.</summary>
    /// <exception cref="MsgPackException">The input is malformed, truncated, nested too deeply or has trailing bytes.</exception>
    public static MsgPackValue Parse(ReadOnlyMemory<byte> msgpack, MsgPackReaderOptions? options = null) =>
        Parse(new ReadOnlySequence<byte>(msgpack), options);

    /// <summary>Parses <paramref name="msgpack"/>, which must hold exactly one value.</summary>
    /// <exception cref="MsgPackException">The input is malformed, truncated, nested too deeply or has trailing bytes.</exception>
    public static MsgPackValue Parse(byte[] msgpack, MsgPackReaderOptions? options = null) =>
        Parse(new ReadOnlySequence<byte>(msgpack), options);

    /// <summary>Parses <paramref name="msgpack"/>, which must hold exactly one value.</summary>
    /// <exception cref="MsgPackException">The input is malformed, truncated, nested too deeply or has trailing bytes.</exception>
    public static MsgPackValue Parse(ReadOnlySequence<byte> msgpack, MsgPackReaderOptions? options = null)
    {
        var reader = new MsgPackReader(msgpack, options);
        MsgPackValue value = ReadFrom(ref reader);
        if (!reader.End)
        {
            throw new MsgPackException(reader.Consumed, string.Create(
                CultureInfo.InvariantCulture, $"expected the end of the data but found {reader.Remaining} trailing bytes."));
        }

        return value;
    }

    /// <summary>Encodes this value.</summary>
    public byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MsgPackWriter(buffer);
        WriteTo(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public bool Equals(MsgPackValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._type != _type)
        {
            return false;
        }

        switch (_type)
        {
            case MsgPackType.Nil:
                return true;
            case MsgPackType.Boolean:
            case MsgPackType.Integer:
                return _bits == other._bits && _flag == other._flag;
            case MsgPackType.Float:
                double a = FloatValue, b = other.FloatValue;
                return a == b || (double.IsNaN(a) && double.IsNaN(b));
            case MsgPackType.String:
                return string.Equals((string)_reference!, (string)other._reference!, StringComparison.Ordinal);
            case MsgPackType.Binary:
                return _bytes.Span.SequenceEqual(other._bytes.Span);
            case MsgPackType.Array:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                return ((MsgPackValue[])_reference!).AsSpan().SequenceEqual((MsgPackValue[])other._reference!);
            case MsgPackType.Map:
                return MapEquals((KeyValuePair<MsgPackValue, MsgPackValue>[])_reference!, (KeyValuePair<MsgPackValue, MsgPackValue>[])other._reference!);
            default:
                return _bits == other._bits && _bytes.Span.SequenceEqual(other._bytes.Span);
        }
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MsgPackValue);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        switch (_type)
        {
            case MsgPackType.Nil:
                return 0;
            case MsgPackType.Boolean:
            case MsgPackType.Integer:
                return HashCode.Combine(_type, _bits, _flag);
            case MsgPackType.Float:
                double value = FloatValue;
                return HashCode.Combine(_type, value == 0 || double.IsNaN(value) ? 0 : value);
            case MsgPackType.String:
                return HashCode.Combine(_type, ((string)_reference!).GetHashCode(StringComparison.Ordinal));
            case MsgPackType.Array:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                var hash = default(HashCode);
                hash.Add(_type);
                foreach (MsgPackValue item in (MsgPackValue[])_reference!)
                {
                    hash.Add(item);
                }

                return hash.ToHashCode();
            case MsgPackType.Map:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                int sum = 0; // order-independent, like map equality
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in (KeyValuePair<MsgPackValue, MsgPackValue>[])_reference!)
                {
                    sum = unchecked(sum + HashCode.Combine(entry.Key, entry.Value));
                }

                return HashCode.Combine(_type, sum);
            default:
                var bytesHash = default(HashCode);
                bytesHash.Add(_type);
                bytesHash.Add(_bits);
                bytesHash.AddBytes(_bytes.Span);
                return bytesHash.ToHashCode();
        }
    }

    /// <summary>The value as compact JSON (see <see cref="WriteJson"/>).</summary>
    public override string ToString() => ToJson();

    private double FloatValue => BitConverter.Int64BitsToDouble(unchecked((long)_bits));

    private sbyte ExtensionType => unchecked((sbyte)_bits);

    private static MsgPackValue ReadArray(ref MsgPackReader reader)
    {
        reader.IncreaseDepth();
        EnsureStack(ref reader);
        int count = reader.ReadArrayHeader();
        var items = count == 0 ? [] : new MsgPackValue[count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = ReadFrom(ref reader);
        }

        reader.DecreaseDepth();
        return new(MsgPackType.Array, reference: items);
    }

    private static MsgPackValue ReadMap(ref MsgPackReader reader)
    {
        reader.IncreaseDepth();
        EnsureStack(ref reader);
        int count = reader.ReadMapHeader();
        var entries = count == 0 ? [] : new KeyValuePair<MsgPackValue, MsgPackValue>[count];
        for (int i = 0; i < entries.Length; i++)
        {
            MsgPackValue key = ReadFrom(ref reader);
            entries[i] = new(key, ReadFrom(ref reader));
        }

        reader.DecreaseDepth();
        return new(MsgPackType.Map, reference: entries);
    }

    // A safety net for a very large MaxDepth: fail as malformed input rather than crash the process.
    private static void EnsureStack(ref MsgPackReader reader)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new MsgPackException(reader.Consumed, "nesting is too deep for the available stack.");
        }
    }

    private static bool MapEquals(KeyValuePair<MsgPackValue, MsgPackValue>[] left, KeyValuePair<MsgPackValue, MsgPackValue>[] right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        int i = 0;
        while (i < left.Length && left[i].Key.Equals(right[i].Key) && left[i].Value.Equals(right[i].Value))
        {
            i++;
        }

        if (i == left.Length)
        {
            return true;
        }

        // Different order (or different content): compare the remaining entries as multisets.
        var counts = new Dictionary<(MsgPackValue Key, MsgPackValue Value), int>(left.Length - i);
        for (int j = i; j < left.Length; j++)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(counts, (left[j].Key, left[j].Value), out _)++;
        }

        for (int j = i; j < right.Length; j++)
        {
            ref int count = ref CollectionsMarshal.GetValueRefOrNullRef(counts, (right[j].Key, right[j].Value));
            if (Unsafe.IsNullRef(ref count) || count == 0)
            {
                return false;
            }

            count--;
        }

        return true;
    }

    private void Expect(MsgPackType type)
    {
        if (_type != type)
        {
            throw WrongType(type.ToString());
        }
    }

    private InvalidOperationException WrongType(string expected) =>
        new($"The MessagePack value is {DescribeType()}, not {expected}.");

    private string DescribeType() => _type switch
    {
        MsgPackType.Extension when ExtensionType == MsgPackCode.TimestampType => "Extension (timestamp)",
        MsgPackType.Extension => string.Create(CultureInfo.InvariantCulture, $"Extension (type {ExtensionType})"),
        _ => _type.ToString(),
    };
}
