using System.Buffers;
using Synapse.MessagePack;

namespace Synapse.Generated.Tests;

public class FormatterTests
{
    private delegate void Writer(ref MsgPackWriter writer);

    private delegate T Reader<T>(ref MsgPackReader reader);

    [Fact]
    public void Record_round_trips()
    {
        var job = new Job("deploy", 1, Mood.Panicking, new List<string> { "prod", "eu" })
        {
            Due = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
            Id = Guid.NewGuid(),
            Blob = new byte[] { 0, 255 },
            Extra = { ["answer"] = 42, ["nested"] = MsgPackValue.FromArray(new MsgPackValue[] { true, "x" }) },
            Steps = { new Step { Name = "a", Weight = null, Next = new Step { Name = "b", Weight = 2.5 } } },
        };
        var bytes = Write((ref MsgPackWriter w) => SynapseFormatters.Write(ref w, job));
        var copy = Read(bytes, (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Job(ref r));

        Assert.Equal(job.Title, copy.Title);
        Assert.Equal(job.Priority, copy.Priority);
        Assert.Equal(job.Mood, copy.Mood);
        Assert.Equal(job.Tags, copy.Tags);
        Assert.Equal(job.Due, copy.Due);
        Assert.Equal(job.Id, copy.Id);
        Assert.Equal(job.Blob, copy.Blob);
        Assert.Equal(job.Extra["answer"], copy.Extra["answer"]);
        Assert.Equal(job.Extra["nested"], copy.Extra["nested"]);
        Assert.Equal("b", copy.Steps[0].Next!.Name);
        Assert.Equal(2.5, copy.Steps[0].Next!.Weight);
        Assert.Null(copy.Steps[0].Weight);
    }

    [Fact]
    public void Writes_a_map_keyed_by_property_name_in_declaration_order()
    {
        var bytes = Write((ref MsgPackWriter w) => SynapseFormatters.Write(ref w, new Job("t")));
        var value = MsgPackValue.Parse(bytes);
        Assert.Equal(
            new[] { "Title", "prio", "Mood", "Tags", "Due", "Extra", "Id", "Blob", "Steps" },
            value.AsMap().Select(e => e.Key.AsString()));
        Assert.Equal("Calm", value["Mood"]!.AsString());
        Assert.True(value["Tags"]!.IsNil);
    }

    [Fact]
    public void Reads_keys_in_any_order_skips_unknown_keys_and_defaults_missing_ones()
    {
        var map = MsgPackValue.FromMap(new[]
        {
            new KeyValuePair<MsgPackValue, MsgPackValue>("unknown", MsgPackValue.FromArray(new MsgPackValue[] { 1, 2, 3 })),
            new KeyValuePair<MsgPackValue, MsgPackValue>(7, "integer keys are skipped too"),
            new KeyValuePair<MsgPackValue, MsgPackValue>("Mood", 2),
            new KeyValuePair<MsgPackValue, MsgPackValue>("Title", "x"),
        });
        var job = Read(map.ToBytes(), (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Job(ref r));
        Assert.Equal("x", job.Title);
        Assert.Equal(Mood.Busy, job.Mood);
        Assert.Equal(5, job.Priority);
        Assert.Null(job.Tags);
        Assert.Empty(job.Steps);
        Assert.NotNull(job.Extra);
    }

    [Fact]
    public void Missing_required_keys_fail()
    {
        var map = MsgPackValue.FromMap(new[] { new KeyValuePair<string, MsgPackValue>("prio", 1) });
        var error = Assert.Throws<FormatException>(() => Read(map.ToBytes(), (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Job(ref r)));
        Assert.Contains("missing required key 'Title'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nil_is_accepted_for_nullable_members_only()
    {
        var map = MsgPackValue.FromMap(new[]
        {
            new KeyValuePair<string, MsgPackValue>("Title", "t"),
            new KeyValuePair<string, MsgPackValue>("Tags", MsgPackValue.Nil),
            new KeyValuePair<string, MsgPackValue>("Due", MsgPackValue.Nil),
        });
        var job = Read(map.ToBytes(), (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Job(ref r));
        Assert.Null(job.Tags);
        Assert.Null(job.Due);

        var bad = MsgPackValue.FromMap(new[] { new KeyValuePair<string, MsgPackValue>("Title", MsgPackValue.Nil) });
        Assert.ThrowsAny<FormatException>(() => Read(bad.ToBytes(), (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Job(ref r)));
    }

    [Fact]
    public void Structs_and_null_references()
    {
        var point = new Point { X = -3, Y = int.MaxValue };
        var bytes = Write((ref MsgPackWriter w) => SynapseFormatters.Write(ref w, point));
        Assert.Equal(point, Read(bytes, (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Point(ref r)));

        var nil = Write((ref MsgPackWriter w) => SynapseFormatters.Write(ref w, (Step?)null));
        Assert.Equal(new byte[] { 0xc0 }, nil);
    }

    [Fact]
    public void Enums_write_names_and_read_names_or_numbers()
    {
        Assert.Equal("Panicking", MsgPackValue.Parse(Write((ref MsgPackWriter w) => SynapseFormatters.Write_Synapse_Generated_Tests_Mood(ref w, Mood.Panicking))).AsString());
        Assert.Equal(77, MsgPackValue.Parse(Write((ref MsgPackWriter w) => SynapseFormatters.Write_Synapse_Generated_Tests_Mood(ref w, (Mood)77))).AsInt64());
        Assert.Equal(Mood.Busy, Read(MsgPackValue.From("Busy").ToBytes(), (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Mood(ref r)));
        Assert.Equal(Mood.Panicking, Read(MsgPackValue.From(200).ToBytes(), (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Mood(ref r)));
        Assert.Throws<FormatException>(() => Read(MsgPackValue.From("busy").ToBytes(), (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Mood(ref r)));
    }

    [Fact]
    public void Guids_travel_as_canonical_strings()
    {
        var id = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        var bytes = Write((ref MsgPackWriter w) => SynapseFormatters.Write_Guid(ref w, id));
        Assert.Equal("6f9619ff-8b86-d011-b42d-00c04fc964ff", MsgPackValue.Parse(bytes).AsString());
        Assert.Equal(id, Read(bytes, (ref MsgPackReader r) => SynapseFormatters.Read_Guid(ref r)));
        Assert.Equal(id, Read(MsgPackValue.From("{6F9619FF-8B86-D011-B42D-00C04FC964FF}").ToBytes(), (ref MsgPackReader r) => SynapseFormatters.Read_Guid(ref r)));
    }

    [Fact]
    public void Keys_split_across_segments_are_read()
    {
        var bytes = Write((ref MsgPackWriter w) => SynapseFormatters.Write(ref w, new Step { Name = "segmented", Weight = 1 }));
        var sequence = Segmented(bytes);
        var reader = new MsgPackReader(sequence);
        var step = SynapseFormatters.Read_Synapse_Generated_Tests_Step(ref reader);
        Assert.Equal("segmented", step.Name);
        Assert.Equal(1, step.Weight);
    }

    [Fact]
    public void Nesting_is_limited_by_the_reader_depth()
    {
        var root = new Step { Name = "0" };
        var current = root;
        for (var i = 1; i < 100; i++)
        {
            current.Next = new Step { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            current = current.Next;
        }

        var bytes = Write((ref MsgPackWriter w) => SynapseFormatters.Write(ref w, root));
        Assert.Throws<MsgPackException>(() => Read(bytes, (ref MsgPackReader r) => SynapseFormatters.Read_Synapse_Generated_Tests_Step(ref r)));

        var shallow = new MsgPackReaderOptions { MaxDepth = 200 };
        var reader = new MsgPackReader(new ReadOnlySequence<byte>(bytes), shallow);
        Assert.Equal("99", Last(SynapseFormatters.Read_Synapse_Generated_Tests_Step(ref reader)).Name);
    }

    private static Step Last(Step step)
    {
        while (step.Next is not null)
        {
            step = step.Next;
        }

        return step;
    }

    private static byte[] Write(Writer write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static T Read<T>(byte[] bytes, Reader<T> read)
    {
        var reader = new MsgPackReader(new ReadOnlySequence<byte>(bytes));
        var value = read(ref reader);
        Assert.True(reader.End, "the whole value should be consumed");
        return value;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1));
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
