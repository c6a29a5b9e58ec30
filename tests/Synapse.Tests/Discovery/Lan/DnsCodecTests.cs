using System.Net;
using System.Text;
using Synapse.Discovery.Lan;

namespace Synapse.Tests.Discovery.Lan;

public class DnsCodecTests
{
    // A query for PTR _synapse._tcp.local. with the QU bit, built by hand (RFC 1035 §4.1).
    private static readonly byte[] Query =
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        8, (byte)'_', (byte)'s', (byte)'y', (byte)'n', (byte)'a', (byte)'p', (byte)'s', (byte)'e',
        4, (byte)'_', (byte)'t', (byte)'c', (byte)'p',
        5, (byte)'l', (byte)'o', (byte)'c', (byte)'a', (byte)'l', 0,
        0x00, 0x0C, 0x80, 0x01,
    ];

    [Fact]
    public void Reads_a_hand_built_query()
    {
        var message = DnsReader.Read(Query);
        Assert.False(message.IsResponse);
        var question = Assert.Single(message.Questions);
        Assert.Equal("_synapse._tcp.local.", question.Name);
        Assert.Equal(DnsRecordType.Ptr, question.Type);
        Assert.True(question.UnicastResponse);
    }

    [Fact]
    public void Writes_a_query_byte_for_byte()
    {
        var message = new DnsMessage(0, 0) { Questions = [new DnsQuestion("_synapse._tcp.local.", DnsRecordType.Ptr, true)] };
        Assert.Equal(Query, DnsWriter.Write(message));
    }

    [Fact]
    public void Follows_compression_pointers_in_answers()
    {
        // Answer: PTR whose owner points at the question name (offset 12) and whose target is "a" + pointer to 12.
        var packet = new List<byte>(Query);
        packet[3] = 0x00;
        packet[2] = 0x84;
        packet[7] = 1; // one answer
        packet.AddRange([0xC0, 12, 0x00, 0x0C, 0x00, 0x01, 0, 0, 0x11, 0x94, 0x00, 0x04, 1, (byte)'a', 0xC0, 12]);
        var message = DnsReader.Read(packet.ToArray());
        Assert.True(message.IsResponse);
        var ptr = Assert.IsType<DnsPtrRecord>(Assert.Single(message.Answers));
        Assert.Equal("_synapse._tcp.local.", ptr.Name);
        Assert.Equal("a._synapse._tcp.local.", ptr.Target);
        Assert.Equal(4500u, ptr.Ttl);
    }

    [Fact]
    public void Round_trips_every_record_type()
    {
        var message = new DnsMessage(7, DnsMessage.ResponseFlags)
        {
            Answers = [new DnsPtrRecord("_synapse._tcp.local.", 4500, "x-12345678._synapse._tcp.local.")],
            Additionals =
            [
                new DnsSrvRecord("x-12345678._synapse._tcp.local.", 120, 0, 0, 9999, "box.local.") { CacheFlush = true },
                new DnsTxtRecord("x-12345678._synapse._tcp.local.", 4500, [Encoding.UTF8.GetBytes("id=1234"), []]),
                new DnsAddressRecord("box.local.", 120, IPAddress.Parse("10.1.2.3")),
                new DnsAddressRecord("box.local.", 120, IPAddress.Parse("fe80::1")),
                new DnsUnknownRecord("box.local.", 120, 47, [1, 2, 3]),
            ],
        };
        var read = DnsReader.Read(DnsWriter.Write(message));
        Assert.Equal(7, read.Id);
        Assert.Equal(message.Answers, read.Answers);
        var srv = Assert.IsType<DnsSrvRecord>(read.Additionals[0]);
        Assert.Equal((ushort)9999, srv.Port);
        Assert.True(srv.CacheFlush);
        var txt = Assert.IsType<DnsTxtRecord>(read.Additionals[1]);
        Assert.Equal("id=1234", Encoding.UTF8.GetString(txt.Strings[0]));
        Assert.Empty(txt.Strings[1]);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), Assert.IsType<DnsAddressRecord>(read.Additionals[2]).Address);
        Assert.Equal(DnsRecordType.Aaaa, read.Additionals[3].Type);
        Assert.Equal([1, 2, 3], Assert.IsType<DnsUnknownRecord>(read.Additionals[4]).Data);
    }

    [Fact]
    public void Refuses_every_truncation()
    {
        var packet = DnsWriter.Write(new DnsMessage(1, DnsMessage.ResponseFlags)
        {
            Answers = [new DnsSrvRecord("a.local.", 1, 0, 0, 1, "b.local.")],
        });
        for (int length = 0; length < packet.Length; length++)
        {
            Assert.Throws<DnsFormatException>(() => DnsReader.Read(packet.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Refuses_a_pointer_to_itself()
    {
        byte[] packet = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 12, 0, 1];
        var error = Assert.Throws<DnsFormatException>(() => DnsReader.Read(packet));
        Assert.Contains("loops", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_forward_pointer()
    {
        byte[] packet = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0, 0, 12, 0, 1];
        Assert.Throws<DnsFormatException>(() => DnsReader.Read(packet));
    }

    [Fact]
    public void Refuses_a_name_over_255_bytes_built_from_pointers_to_earlier_names()
    {
        var error = Assert.Throws<DnsFormatException>(() => DnsReader.Read(ChainQuestion(5)));
        Assert.Contains("255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_oversized_messages_and_labels()
    {
        Assert.Throws<DnsFormatException>(() => DnsReader.Read(new byte[DnsLimits.MaxMessage + 1]));
        Assert.Throws<DnsFormatException>(() => DnsWriter.Write(new DnsMessage(0, 0)
        {
            Questions = [new DnsQuestion(new string('a', 64) + ".local.", DnsRecordType.Ptr)],
        }));
        byte[] tooMany = [0, 0, 0, 0, 0x01, 0x01, 0, 0, 0, 0, 0, 0];
        Assert.Throws<DnsFormatException>(() => DnsReader.Read(tooMany));
    }

    [Fact]
    public void Refuses_data_that_does_not_fill_its_length()
    {
        byte[] packet = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 5, 1, 2, 3, 4, 5];
        Assert.Throws<DnsFormatException>(() => DnsReader.Read(packet));
    }

    /// <summary>A response of <paramref name="labels"/> empty records; the n-th owner name is n 63-byte labels, chained by pointers.</summary>
    private static byte[] ChainQuestion(int labels)
    {
        var packet = new List<byte> { 0, 0, 0x84, 0, 0, 0, 0, (byte)labels, 0, 0, 0, 0 };
        int previous = -1;
        for (int i = 0; i < labels; i++)
        {
            int here = packet.Count;
            packet.Add(63);
            packet.AddRange(Enumerable.Repeat((byte)'a', 63));
            if (previous < 0)
            {
                packet.Add(0);
            }
            else
            {
                packet.AddRange([(byte)(0xC0 | (previous >> 8)), (byte)previous]);
            }

            packet.AddRange([0, 47, 0, 1, 0, 0, 0, 1, 0, 0]); // type 47, class IN, ttl 1, no data
            previous = here;
        }

        return [.. packet];
    }
}
