using System.Net;
using Synapse.Discovery.Lan;
using Synapse.Fuzz.Tests.Engine;

namespace Synapse.Fuzz.Tests.Targets;

/// <summary>
/// LAN discovery reading an mDNS packet from anyone on the link: <see cref="DnsReader.Read"/>, then the records
/// turned into peers and goodbyes as <c>LanDiscovery</c> does.
/// </summary>
public sealed class DnsPacketTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "dns-packet";

    /// <summary>Names and records per byte (a compression pointer lets a few bytes name a long name).</summary>
    public override long AllocationPerByte => 256;

    /// <inheritdoc />
    public override IEnumerable<byte[]> Seeds()
    {
        var announcement = new LanAnnouncement("did:key:z6MkfuzzAgent", "192.168.1.20", 7400)
        {
            Name = "translator",
            Swarm = "blue",
            Team = "ops",
            Host = "box.local.",
            Capabilities = ["translate", "summarize"],
        };
        yield return DnsWriter.Write(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = LanRecords.ToRecords(announcement, "box.local.", 120) });
        yield return DnsWriter.Write(new DnsMessage(0, DnsMessage.ResponseFlags) { Answers = LanRecords.ToRecords(announcement, "box.local.", 0) });
        yield return DnsWriter.Write(new DnsMessage(7, 0) { Questions = [new DnsQuestion(LanRecords.ServiceType, DnsRecordType.Ptr, UnicastResponse: true)] });
    }

    /// <inheritdoc />
    public override void Run(byte[] input)
    {
        var message = DnsReader.Read(input);
        LanRecords.FromMessage(message, "own.local.", IPAddress.Loopback);
        foreach (var _ in LanRecords.Goodbyes(message))
        {
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is DnsFormatException;
}
