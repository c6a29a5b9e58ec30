using System.Buffers;
using Synapse.MessagePack;

namespace Synapse.Tests.MessagePack;

/// <summary>Malformed, truncated, oversized and deeply nested input must fail fast with <see cref="MsgPackException"/>.</summary>
public class MsgPackHostileInputTests
{
    private delegate void ReaderAction(ref MsgPackReader reader);

    /// <summary>Every public read operation, for "only MsgPackException may escape" checks.</summary>
    private static readonly (string Name, ReaderAction Action)[] Operations =
    [
        ("Parse", (ref MsgPackReader r) => MsgPackValue.ReadFrom(ref r)),
        ("Skip", (ref MsgPackReader r) => r.Skip()),
        ("ReadRaw", (ref MsgPackReader r) => r.ReadRaw()),
        ("NextType", (ref MsgPackReader r) => _ = r.NextType),
        ("ReadNil", (ref MsgPackReader r) => r.ReadNil()),
        ("ReadBoolean", (ref MsgPackReader r) => r.ReadBoolean()),
        ("ReadInt64", (ref MsgPackReader r) => r.ReadInt64()),
        ("ReadInt32", (ref MsgPackReader r) => r.ReadInt32()),
        ("ReadInt16", (ref MsgPackReader r) => r.ReadInt16()),
        ("ReadSByte", (ref MsgPackReader r) => r.ReadSByte()),
        ("ReadUInt64", (ref MsgPackReader r) => r.ReadUInt64()),
        ("ReadUInt32", (ref MsgPackReader r) => r.ReadUInt32()),
        ("ReadUInt16", (ref MsgPackReader r) => r.ReadUInt16()),
        ("ReadByte", (ref MsgPackReader r) => r.ReadByte()),
        ("ReadDouble", (ref MsgPackReader r) => r.ReadDouble()),
        ("ReadSingle", (ref MsgPackReader r) => r.ReadSingle()),
        ("ReadString", (ref MsgPackReader r) => r.ReadString()),
        ("ReadNullableString", (ref MsgPackReader r) => r.ReadNullableString()),
        ("ReadStringSequence", (ref MsgPackReader r) => r.ReadStringSequence()),
        ("TryReadStringSpan", (ref MsgPackReader r) => r.TryReadStringSpan(out _)),
        ("ReadBinary", (ref MsgPackReader r) => r.ReadBinary()),
        ("ReadBinarySequence", (ref MsgPackReader r) => r.ReadBinarySequence()),
        ("ReadArrayHeader", (ref MsgPackReader r) => r.ReadArrayHeader()),
        ("ReadMapHeader", (ref MsgPackReader r) => r.ReadMapHeader()),
        ("ReadExtension", (ref MsgPackReader r) => r.ReadExtension()),
        ("ReadTimestamp", (ref MsgPackReader r) => r.ReadTimestamp()),
        ("ReadTimestampParts", (ref MsgPackReader r) => r.ReadTimestamp(out _, out _)),
    ];

    [Fact]
    public void Deep_nesting_throws_instead_of_overflowing_the_stack()
    {
        byte[] input = new byte[100_000];
        input.AsSpan().Fill(0x91);

        AssertThrowsAt(64, input, (ref MsgPackReader r) => r.Skip(), "maximum nesting depth of 64 exceeded");
        AssertThrowsAt(64, input, (ref MsgPackReader r) => r.ReadRaw(), "maximum nesting depth of 64 exceeded");
        AssertThrowsAt(64, input, (ref MsgPackReader r) => MsgPackValue.ReadFrom(ref r), "maximum nesting depth of 64 exceeded");
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(input));
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(TestSequences.Split(input, 7)));
    }

    [Fact]
    public void Depth_limit_is_exact_and_configurable()
    {
        byte[] ok = [.. Enumerable.Repeat((byte)0x91, 64), 0x01];
        byte[] tooDeep = [.. Enumerable.Repeat((byte)0x91, 65), 0x01];
        Assert.Equal(MsgPackType.Array, MsgPackValue.Parse(ok).Type);
        new MsgPackReader(ok).Skip();
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(tooDeep));
        Assert.Throws<MsgPackException>(() => new MsgPackReader(tooDeep).Skip());

        var shallow = new MsgPackReaderOptions { MaxDepth = 2 };
        Assert.Equal(MsgPackType.Array, MsgPackValue.Parse(Hex.Parse("92 91 01 80"), shallow).Type);
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Hex.Parse("91 91 91 01"), shallow));
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Hex.Parse("81 01 91 80"), shallow));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackReaderOptions { MaxDepth = -1 });
    }

    [Fact]
    public void Depth_counts_from_the_readers_current_depth()
    {
        var reader = new MsgPackReader(Hex.Parse("91 91 01"), new MsgPackReaderOptions { MaxDepth = 2 });
        reader.IncreaseDepth();
        Assert.Equal(1, reader.Depth);
        try
        {
            reader.Skip();
            Assert.Fail("expected a depth error");
        }
        catch (MsgPackException ex)
        {
            Assert.Equal(1, ex.Offset);
        }
    }

    [Fact]
    public void IncreaseDepth_enforces_MaxDepth()
    {
        var reader = new MsgPackReader(new byte[] { 0xc0 }, new MsgPackReaderOptions { MaxDepth = 3 });
        reader.IncreaseDepth();
        reader.IncreaseDepth();
        reader.IncreaseDepth();
        Assert.Equal(3, reader.Depth);
        try
        {
            reader.IncreaseDepth();
            Assert.Fail("expected a depth error");
        }
        catch (MsgPackException ex)
        {
            Assert.Contains("maximum nesting depth of 3 exceeded", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(3, reader.Depth);
        reader.DecreaseDepth();
        Assert.Equal(2, reader.Depth);
    }

    [Fact]
    public void Huge_MaxDepth_still_cannot_overflow_the_stack()
    {
        byte[] input = [.. Enumerable.Repeat((byte)0x91, 100_000), 0x01];
        var options = new MsgPackReaderOptions { MaxDepth = int.MaxValue };

        // Skip is iterative, so it copes with any depth.
        var reader = new MsgPackReader(input, options);
        reader.Skip();
        Assert.True(reader.End);

        // The DOM recurses, and must turn stack exhaustion into a MsgPackException; run on a small stack to be sure.
        Exception? caught = null;
        var thread = new Thread(() => caught = Record.Exception(() => MsgPackValue.Parse(input, options)), 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.IsType<MsgPackException>(caught);
    }

    [Theory]
    [InlineData("dd ff ff ff ff", "ReadArrayHeader")]
    [InlineData("df ff ff ff ff", "ReadMapHeader")]
    [InlineData("db ff ff ff ff", "ReadString")]
    [InlineData("db ff ff ff ff", "ReadStringSequence")]
    [InlineData("c6 ff ff ff ff", "ReadBinary")]
    [InlineData("c6 ff ff ff ff", "ReadBinarySequence")]
    [InlineData("c9 ff ff ff ff 01", "ReadExtension")]
    [InlineData("c9 ff ff ff ff ff", "ReadTimestamp")]
    [InlineData("dd ff ff ff ff", "Parse")]
    [InlineData("df ff ff ff ff", "Parse")]
    [InlineData("db ff ff ff ff", "Parse")]
    [InlineData("c6 ff ff ff ff", "Parse")]
    [InlineData("c9 ff ff ff ff 01", "Parse")]
    [InlineData("dd ff ff ff ff", "Skip")]
    [InlineData("db ff ff ff ff", "Skip")]
    [InlineData("92 dd 00 01 00 00 01", "Parse")]
    [InlineData("de 00 02 01 02 03", "ReadMapHeader")]
    [InlineData("dc 00 03 01 02", "ReadArrayHeader")]
    public void Declared_lengths_are_checked_before_allocating(string hex, string operation)
    {
        byte[] input = Hex.Parse(hex);
        ReaderAction action = Operations.Single(o => o.Name == operation).Action;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<MsgPackException>(() =>
        {
            var reader = new MsgPackReader(input);
            action(ref reader);
        });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
        Assert.Contains("remain", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_tokens_throw_with_the_offset()
    {
        var ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Hex.Parse("92 01 cd 01")));
        Assert.Equal(2, ex.Offset);
        Assert.StartsWith("Invalid MessagePack at offset 2: expected an integer but the input ends inside uint 16 (0xcd)", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Hex.Parse("92 01")));
        Assert.Equal("Invalid MessagePack at offset 0: expected an array but fixarray (0x92) declares 2 elements and only 1 bytes remain.", ex.Message);

        ex = Assert.Throws<MsgPackException>(() => SkipTwice(Hex.Parse("01")));
        Assert.Equal("Invalid MessagePack at offset 1: expected a value but reached the end of the data.", ex.Message);

        ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Hex.Parse("a5 68 65")));
        Assert.Equal(0, ex.Offset);

        ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(ReadOnlyMemory<byte>.Empty));
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void Every_prefix_of_every_vector_encoding_throws_MsgPackException()
    {
        foreach (VectorCase vector in MsgPackVectors.All.Values)
        {
            foreach (byte[] encoding in vector.Encodings)
            {
                for (int length = 0; length < encoding.Length; length++)
                {
                    byte[] prefix = encoding[..length];
                    Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(prefix));
                    Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(TestSequences.Split(prefix, 1)));
                    Assert.Throws<MsgPackException>(() => new MsgPackReader(prefix).Skip());
                }
            }
        }
    }

    [Theory]
    [InlineData("a2 c3 28")]          // invalid continuation
    [InlineData("a3 ed a0 80")]       // UTF-16 surrogate encoded in UTF-8
    [InlineData("a2 c0 af")]          // overlong
    [InlineData("a1 ff")]
    [InlineData("a3 e2 82")]          // truncated code point at the end (length says 3 but data has 2: truncated token)
    [InlineData("a2 e2 82")]          // truncated code point inside the string
    [InlineData("d9 04 f0 9f 8d 41")]
    public void Invalid_utf8_is_rejected(string hex)
    {
        byte[] input = Hex.Parse(hex);
        foreach (string operation in new[] { "ReadString", "ReadNullableString", "ReadStringSequence", "TryReadStringSpan", "Parse", "ReadRaw" })
        {
            if (operation == "ReadRaw")
            {
                continue; // ReadRaw does not look inside strings
            }

            ReaderAction action = Operations.Single(o => o.Name == operation).Action;
            foreach (ReadOnlySequence<byte> sequence in new[] { new ReadOnlySequence<byte>(input), TestSequences.Split(input, 1) })
            {
                if (operation == "TryReadStringSpan" && !sequence.IsSingleSegment)
                {
                    continue; // returns false for split strings; ReadStringSequence covers them
                }

                var ex = Assert.Throws<MsgPackException>(() =>
                {
                    var reader = new MsgPackReader(sequence);
                    action(ref reader);
                });
                Assert.Equal(0, ex.Offset);
            }
        }
    }

    [Fact]
    public void Invalid_utf8_message()
    {
        var ex = Assert.Throws<MsgPackException>(() => new MsgPackReader(Hex.Parse("a2 c3 28")).ReadString());
        Assert.Equal("Invalid MessagePack at offset 0: expected a string but found invalid UTF-8.", ex.Message);
    }

    [Fact]
    public void The_never_used_byte_is_rejected()
    {
        foreach ((string name, ReaderAction action) in Operations)
        {
            var ex = Assert.Throws<MsgPackException>(() =>
            {
                var reader = new MsgPackReader(new byte[] { 0xc1, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
                action(ref reader);
            });
            Assert.Equal(0, ex.Offset);
            Assert.True(ex.Message.Contains("0xc1", StringComparison.Ordinal), $"{name}: {ex.Message}");
        }

        var nested = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Hex.Parse("93 01 02 c1")));
        Assert.Equal(3, nested.Offset);
        Assert.Throws<MsgPackException>(() => new MsgPackReader(Hex.Parse("93 01 02 c1")).Skip());
    }

    [Fact]
    public void Mismatch_message_names_offset_expected_and_found()
    {
        byte[] input = [.. Enumerable.Repeat((byte)0x01, 12), 0xa3, 0x61, 0x62, 0x63];
        var reader = new MsgPackReader(input);
        for (int i = 0; i < 12; i++)
        {
            reader.ReadInt32();
        }

        try
        {
            reader.ReadInt64();
            Assert.Fail("expected an exception");
        }
        catch (MsgPackException ex)
        {
            Assert.Equal("Invalid MessagePack at offset 12: expected an integer but found str (0xa3).", ex.Message);
            Assert.Equal(12, ex.Offset);
            Assert.IsAssignableFrom<FormatException>(ex);
        }
    }

    [Theory]
    [InlineData("cd 01 2c", "ReadByte", "value 300 does not fit in Byte")]
    [InlineData("cc 80", "ReadSByte", "value 128 does not fit in SByte")]
    [InlineData("d0 80", "ReadSByte", null)]
    [InlineData("d1 80 00", "ReadInt16", null)]
    [InlineData("cd 80 00", "ReadInt16", "value 32768 does not fit in Int16")]
    [InlineData("cd ff ff", "ReadUInt16", null)]
    [InlineData("ce 00 01 00 00", "ReadUInt16", "value 65536 does not fit in UInt16")]
    [InlineData("ce 80 00 00 00", "ReadInt32", "value 2147483648 does not fit in Int32")]
    [InlineData("d3 ff ff ff ff 7f ff ff ff", "ReadInt32", "value -2147483649 does not fit in Int32")]
    [InlineData("d2 80 00 00 00", "ReadInt32", null)]
    [InlineData("cf 00 00 00 01 00 00 00 00", "ReadUInt32", "value 4294967296 does not fit in UInt32")]
    [InlineData("cf ff ff ff ff ff ff ff ff", "ReadInt64", "value 18446744073709551615 does not fit in Int64")]
    [InlineData("cf 7f ff ff ff ff ff ff ff", "ReadInt64", null)]
    [InlineData("ff", "ReadUInt64", "value -1 does not fit in UInt64")]
    [InlineData("ff", "ReadByte", "value -1 does not fit in Byte")]
    [InlineData("d3 80 00 00 00 00 00 00 00", "ReadUInt32", "value -9223372036854775808 does not fit in UInt32")]
    [InlineData("cb 3f f0 00 00 00 00 00 00", "ReadInt32", "expected an integer but found float 64 (0xcb)")]
    [InlineData("ca 3f 80 00 00", "ReadUInt64", "expected an integer but found float 32 (0xca)")]
    [InlineData("c0", "ReadInt32", "expected an integer but found nil (0xc0)")]
    [InlineData("c0", "ReadString", "expected a string but found nil (0xc0)")]
    [InlineData("c4 01 61", "ReadString", "expected a string but found bin 8 (0xc4)")]
    [InlineData("a1 61", "ReadBinary", "expected binary data but found str (0xa1)")]
    [InlineData("a1 61", "ReadDouble", "expected a number but found str (0xa1)")]
    [InlineData("c3", "ReadNil", "expected nil but found true (0xc3)")]
    [InlineData("c0", "ReadBoolean", "expected a boolean but found nil (0xc0)")]
    [InlineData("90", "ReadMapHeader", "expected a map but found fixarray (0x90)")]
    [InlineData("80", "ReadArrayHeader", "expected an array but found fixmap (0x80)")]
    [InlineData("d4 01 00", "ReadTimestamp", "expected a timestamp but found extension type 1")]
    [InlineData("c7 05 ff 00 00 00 00 00", "ReadTimestamp", "5-byte payload")]
    [InlineData("d7 ff ff ff ff ff 00 00 00 00", "ReadTimestamp", "nanoseconds")]
    [InlineData("c7 0c ff 3b 9a ca 00 00 00 00 00 00 00 00 00", "ReadTimestamp", "nanoseconds")]
    [InlineData("c7 0c ff 00 00 00 00 ff ff ff f1 86 8b 84 00", "ReadTimestamp", "outside the range of DateTimeOffset")]
    [InlineData("c7 0c ff 00 00 00 00 7f ff ff ff ff ff ff ff", "ReadTimestamp", "outside the range of DateTimeOffset")]
    [InlineData("a1 61", "ReadExtension", "expected an extension but found str (0xa1)")]
    public void Typed_reads_check_type_and_range(string hex, string operation, string? error)
    {
        byte[] input = Hex.Parse(hex);
        ReaderAction action = Operations.Single(o => o.Name == operation).Action;
        foreach (ReadOnlySequence<byte> sequence in new[] { new ReadOnlySequence<byte>(input), TestSequences.Split(input, 1) })
        {
            var reader = new MsgPackReader(sequence);
            if (error is null)
            {
                action(ref reader);
                Assert.True(reader.End);
                continue;
            }

            try
            {
                action(ref reader);
                Assert.Fail($"{operation} accepted {hex}");
            }
            catch (MsgPackException ex)
            {
                Assert.StartsWith("Invalid MessagePack at offset 0: ", ex.Message, StringComparison.Ordinal);
                Assert.Contains(error, ex.Message, StringComparison.Ordinal);
                Assert.Equal(0, reader.Consumed);
            }
        }
    }

    [Fact]
    public void Trailing_bytes_are_rejected_by_Parse()
    {
        var ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Hex.Parse("01 02 03")));
        Assert.Equal(1, ex.Offset);
        Assert.Contains("2 trailing bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_input_only_ever_throws_MsgPackException()
    {
        var random = new Random(20240611);
        byte[] interesting = [0x00, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x91, 0x9f, 0xa0, 0xa3, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb,
            0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff];
        for (int iteration = 0; iteration < 3000; iteration++)
        {
            byte[] input = new byte[random.Next(0, 24)];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = random.Next(3) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
            }

            AssertOnlyMsgPackExceptions(input);
        }
    }

    [Fact]
    public void Mutated_vectors_only_ever_throw_MsgPackException()
    {
        var random = new Random(7);
        byte[][] seeds = [.. MsgPackVectors.All.Values.SelectMany(v => v.Encodings), MsgPackP2PTests.RequestBytes];
        foreach (byte[] seed in seeds)
        {
            for (int i = 0; i < 8; i++)
            {
                byte[] mutated = (byte[])seed.Clone();
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                if (random.Next(2) == 0)
                {
                    mutated = mutated[..random.Next(mutated.Length + 1)];
                }

                AssertOnlyMsgPackExceptions(mutated);
            }
        }
    }

    private static void AssertOnlyMsgPackExceptions(byte[] input)
    {
        foreach ((string name, ReaderAction action) in Operations)
        {
            foreach (ReadOnlySequence<byte> sequence in new[] { new ReadOnlySequence<byte>(input), TestSequences.Split(input, 1) })
            {
                Exception? error = Record.Exception(() =>
                {
                    var reader = new MsgPackReader(sequence);
                    action(ref reader);
                });
                if (error is not null and not MsgPackException)
                {
                    Assert.Fail($"{name} on {Hex.Format(input)} threw {error}");
                }

                if (error is MsgPackException ex)
                {
                    Assert.InRange(ex.Offset, 0, input.Length);
                }
            }
        }
    }

    private static void SkipTwice(byte[] input)
    {
        var reader = new MsgPackReader(input);
        reader.Skip();
        reader.Skip();
    }

    private static void AssertThrowsAt(int expectedOffset, byte[] input, ReaderAction action, string message)
    {
        var ex = Assert.Throws<MsgPackException>(() =>
        {
            var reader = new MsgPackReader(input);
            action(ref reader);
        });
        Assert.Equal(expectedOffset, ex.Offset);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
