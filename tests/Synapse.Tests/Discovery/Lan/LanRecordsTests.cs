using System.Net;
using System.Text;
using Synapse.Discovery.Lan;

namespace Synapse.Tests.Discovery.Lan;

public class LanRecordsTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly LanAnnouncement Calculator = new(Id, "10.0.0.7", 9999)
    {
        Name = "calculator",
        Swarm = "lab",
        Team = "default",
        Host = "box-a",
        Capabilities = ["sum", "mul"],
    };

    [Fact]
    public void Instance_name_is_the_sanitized_name_then_the_id_prefix()
    {
        Assert.Equal("calculator-01234567._synapse._tcp.local.", LanRecords.InstanceName(Calculator));
        Assert.Equal("01234567-01234567._synapse._tcp.local.", LanRecords.InstanceName(Calculator with { Name = null }));
        Assert.Equal("01234567-01234567._synapse._tcp.local.", LanRecords.InstanceName(Calculator with { Name = "" }));
        Assert.Equal("01234567-01234567._synapse._tcp.local.", LanRecords.InstanceName(Calculator with { Name = " .. " }));
    }

    [Theory]
    [InlineData("My Agent.v2", "My-Agent-v2")]
    [InlineData("  écho_bot!  ", "cho_bot")]
    [InlineData("a.b.c", "a-b-c")]
    [InlineData("--x--", "x")]
    [InlineData("", "")]
    public void Sanitizing_keeps_letters_digits_dash_underscore(string name, string expected) =>
        Assert.Equal(expected, LanRecords.Sanitize(name));

    [Fact]
    public void Sanitizing_keeps_the_instance_label_within_63_bytes()
    {
        string instance = LanRecords.InstanceName(Calculator with { Name = new string('n', 200) });
        string label = instance[..instance.IndexOf('.', StringComparison.Ordinal)];
        Assert.Equal(63, label.Length);
        Assert.EndsWith("-01234567", label, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_carry_the_txt_keys_of_the_spec_in_order()
    {
        var records = LanRecords.ToRecords(Calculator, "ignored", 120);
        var ptr = Assert.IsType<DnsPtrRecord>(records[0]);
        Assert.Equal("_synapse._tcp.local.", ptr.Name);
        Assert.Equal("calculator-01234567._synapse._tcp.local.", ptr.Target);
        var srv = Assert.IsType<DnsSrvRecord>(records[1]);
        Assert.Equal((ushort)9999, srv.Port);
        Assert.Equal("box-a.local.", srv.Target);
        var txt = Assert.IsType<DnsTxtRecord>(records[2]);
        Assert.Equal(
            ["id=" + Id, "name=calculator", "kind=node", "swarm=lab", "team=default", "host=box-a", "capabilities=sum,mul"],
            txt.Strings.Select(s => Encoding.UTF8.GetString(s)));
        var a = Assert.IsType<DnsAddressRecord>(records[3]);
        Assert.Equal("box-a.local.", a.Name);
        Assert.Equal(IPAddress.Parse("10.0.0.7"), a.Address);
    }

    [Fact]
    public void Missing_host_is_our_host_and_missing_values_are_empty()
    {
        var records = LanRecords.ToRecords(new LanAnnouncement(Id, "10.0.0.7", 1), "me", 120);
        var txt = Assert.IsType<DnsTxtRecord>(records[2]);
        Assert.Contains("host=me", txt.Strings.Select(s => Encoding.UTF8.GetString(s)));
        Assert.Contains("swarm=", txt.Strings.Select(s => Encoding.UTF8.GetString(s)));
        Assert.Contains("capabilities=", txt.Strings.Select(s => Encoding.UTF8.GetString(s)));
    }

    [Fact]
    public void Round_trips_through_the_wire()
    {
        var message = new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = LanRecords.ToRecords(Calculator, "x", 120) };
        var found = Assert.Single(LanRecords.FromMessage(DnsReader.Read(DnsWriter.Write(message)), "other-host", null)).Peer;
        Assert.Equal(Calculator.Id, found.Id);
        Assert.Equal("10.0.0.7", found.Address);
        Assert.Equal(9999, found.Port);
        Assert.Equal("calculator", found.Name);
        Assert.Equal("lab", found.Swarm);
        Assert.Equal("default", found.Team);
        Assert.Equal("box-a", found.Host);
        Assert.Equal(["sum", "mul"], found.Capabilities);
    }

    [Fact]
    public void A_peer_on_our_host_is_dialled_at_loopback()
    {
        var message = new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = LanRecords.ToRecords(Calculator, "x", 120) };
        Assert.Equal("127.0.0.1", Assert.Single(LanRecords.FromMessage(message, "box-a", null)).Peer.Address);
    }

    [Fact]
    public void Without_an_a_record_the_sender_address_is_used()
    {
        var records = LanRecords.ToRecords(Calculator, "x", 120)[..3];
        var message = new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = records };
        var found = Assert.Single(LanRecords.FromMessage(message, "me", IPAddress.Parse("192.168.1.9"))).Peer;
        Assert.Equal("192.168.1.9", found.Address);
    }

    [Fact]
    public void Empty_values_read_as_absent_and_txt_keys_ignore_case()
    {
        var records = LanRecords.ToRecords(new LanAnnouncement(Id, "10.0.0.1", 5) { Host = "h" }, "x", 120);
        records[2] = new DnsTxtRecord(records[2].Name, 120,
            [.. new[] { "ID=" + Id, "name=", "swarm", "host=h", "id=ignored" }.Select(Encoding.UTF8.GetBytes)]);
        var found = Assert.Single(LanRecords.FromMessage(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = records }, "me", null)).Peer;
        Assert.Equal(Id, found.Id);
        Assert.Null(found.Name);
        Assert.Null(found.Swarm);
        Assert.Equal("node", found.Kind);
        Assert.Empty(found.Capabilities);
    }

    [Fact]
    public void Incomplete_goodbye_and_foreign_services_are_ignored()
    {
        var records = LanRecords.ToRecords(Calculator, "x", 120);
        Assert.Empty(LanRecords.FromMessage(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = [records[0], records[2], records[3]] }, "me", null));
        Assert.Empty(LanRecords.FromMessage(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = [records[0] with { Ttl = 0 }, .. records[1..]] }, "me", null));
        var foreign = (DnsPtrRecord)records[0] with { Name = "_http._tcp.local." };
        Assert.Empty(LanRecords.FromMessage(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = [foreign, .. records[1..]] }, "me", null));
        var noId = new DnsTxtRecord(records[2].Name, 120, [Encoding.UTF8.GetBytes("name=x")]);
        Assert.Empty(LanRecords.FromMessage(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = [records[0], records[1], noId, records[3]] }, "me", null));
    }

    [Fact]
    public void A_peer_lives_as_long_as_the_shortest_ttl_of_the_records_it_needs()
    {
        var records = LanRecords.ToRecords(Calculator, "x", 4500);
        records[3] = records[3] with { Ttl = 120 };
        Assert.Equal(TimeSpan.FromSeconds(120), Heard(records, "me").Ttl); // the A gives the address
        Assert.Equal(TimeSpan.FromSeconds(4500), Heard(records, "box-a").Ttl); // on our host: the A is not used
        Assert.Equal(TimeSpan.FromSeconds(4500), Heard(records[..3], "me", IPAddress.Parse("192.168.1.9")).Ttl);

        records[1] = records[1] with { Ttl = 10 };
        Assert.Equal(TimeSpan.FromSeconds(10), Heard(records, "me").Ttl);
        records[2] = records[2] with { Ttl = 7 };
        Assert.Equal(TimeSpan.FromSeconds(7), Heard(records, "me").Ttl);
        records[0] = records[0] with { Ttl = 5 };
        Assert.Equal(TimeSpan.FromSeconds(5), Heard(records, "me").Ttl);
    }

    [Fact]
    public void A_peer_whose_srv_txt_or_a_says_goodbye_is_not_heard()
    {
        for (int i = 1; i < 4; i++)
        {
            var records = LanRecords.ToRecords(Calculator, "x", 120);
            records[i] = records[i] with { Ttl = 0 };
            Assert.Empty(LanRecords.FromMessage(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = records }, "me", null));
        }
    }

    [Fact]
    public void A_goodbye_for_an_old_address_before_the_new_one_does_not_hide_the_peer()
    {
        var records = LanRecords.ToRecords(Calculator, "x", 120).ToList();
        var current = records.OfType<DnsAddressRecord>().Single();
        records.Insert(records.IndexOf(current), current with { Address = IPAddress.Parse("10.9.9.9"), Ttl = 0 });

        var heard = Heard([.. records], "me");

        Assert.Equal(current.Address.ToString(), heard.Peer.Address);
        Assert.Equal(120u, (uint)heard.Ttl.TotalSeconds);
    }

    private static LanHeard Heard(DnsRecord[] records, string ownHost, IPAddress? sender = null) =>
        Assert.Single(LanRecords.FromMessage(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = records }, ownHost, sender));
}
