using System.Buffers.Binary;

namespace Synapse.Fuzz.Tests.Engine;

/// <summary>
/// Derives new inputs from a corpus: bit flips, byte sets, inserts, deletes, duplicated chunks, truncation, splices
/// between two corpus entries, MessagePack length fields set to interesting values, and dictionary tokens. Each input
/// gets one to four mutations. Deterministic for a given <see cref="Random"/> seed.
/// </summary>
public sealed class Mutator(Random random, IReadOnlyList<byte[]> dictionary)
{
    private const int MaxLength = 64 * 1024;

    private static readonly uint[] Interesting = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

    /// <summary>A new input derived from <paramref name="corpus"/>.</summary>
    public byte[] Next(IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(corpus[random.Next(corpus.Count)]);
        var count = 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(data, corpus);
        }

        if (data.Count > MaxLength)
        {
            data.RemoveRange(MaxLength, data.Count - MaxLength);
        }

        return [.. data];
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        switch (random.Next(dictionary.Count > 0 ? 10 : 9))
        {
            case 0 when data.Count > 0:
                data[random.Next(data.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[random.Next(data.Count)] = (byte)random.Next(256);
                break;
            case 2:
                data.InsertRange(random.Next(data.Count + 1), RandomBytes(1 + random.Next(8)));
                break;
            case 3 when data.Count > 0:
                var at = random.Next(data.Count);
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                break;
            case 4 when data.Count > 0:
                var keep = random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            case 5 when data.Count > 0:
                var from = random.Next(data.Count);
                var chunk = data.GetRange(from, Math.Min(data.Count - from, 1 + random.Next(64)));
                data.InsertRange(random.Next(data.Count + 1), chunk);
                break;
            case 6:
                Splice(data, corpus[random.Next(corpus.Count)]);
                break;
            case 7:
            case 8:
                SetLength(data);
                break;
            case 9:
                var token = dictionary[random.Next(dictionary.Count)];
                data.InsertRange(random.Next(data.Count + 1), token);
                break;
        }
    }

    private void Splice(List<byte> data, byte[] other)
    {
        var head = random.Next(data.Count + 1);
        var tail = random.Next(other.Length + 1);
        data.RemoveRange(head, data.Count - head);
        data.AddRange(other.AsSpan(tail).ToArray());
    }

    /// <summary>
    /// Finds a MessagePack header whose length field follows it (str/bin/ext 8-32, array/map 16-32) and sets that
    /// field to an interesting value; with none, writes such a header with an interesting length somewhere.
    /// </summary>
    private void SetLength(List<byte> data)
    {
        var headers = new List<int>();
        for (var i = 0; i < data.Count; i++)
        {
            if (LengthFieldSize(data[i]) > 0)
            {
                headers.Add(i);
            }
        }

        var value = Interesting[random.Next(Interesting.Length)];
        if (headers.Count == 0 || random.Next(4) == 0)
        {
            byte[] markers = [0xc4, 0xc5, 0xc6, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf];
            var marker = markers[random.Next(markers.Length)];
            var at = random.Next(data.Count + 1);
            data.InsertRange(at, new byte[1 + LengthFieldSize(marker)]);
            data[at] = marker;
            headers = [at];
        }

        var header = headers[random.Next(headers.Count)];
        var size = LengthFieldSize(data[header]);
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(field, value);
        for (var k = 0; k < size && header + 1 + k < data.Count; k++)
        {
            data[header + 1 + k] = field[4 - size + k];
        }
    }

    private static int LengthFieldSize(byte marker) => marker switch
    {
        0xc4 or 0xc7 or 0xd9 => 1,
        0xc5 or 0xc8 or 0xda or 0xdc or 0xde => 2,
        0xc6 or 0xc9 or 0xdb or 0xdd or 0xdf => 4,
        _ => 0,
    };

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
