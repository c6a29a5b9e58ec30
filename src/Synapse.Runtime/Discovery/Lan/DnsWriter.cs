using System.Buffers.Binary;
using System.Text;

namespace Synapse.Discovery.Lan;

/// <summary>Writes a DNS message with plain (uncompressed) names; refuses names or data over the limits.</summary>
internal static class DnsWriter
{
    /// <summary>Encodes <paramref name="message"/>.</summary>
    public static byte[] Write(DnsMessage message)
    {
        var output = new List<byte>(512);
        UInt16(output, message.Id);
        UInt16(output, message.Flags);
        UInt16(output, message.Questions.Count);
        UInt16(output, message.Answers.Count);
        UInt16(output, message.Authorities.Count);
        UInt16(output, message.Additionals.Count);
        foreach (var question in message.Questions)
        {
            Name(output, question.Name);
            UInt16(output, (int)question.Type);
            UInt16(output, question.UnicastResponse ? 0x8001 : 1);
        }

        foreach (var record in message.AllRecords)
        {
            Record(output, record);
        }

        if (output.Count > DnsLimits.MaxMessage)
        {
            throw new DnsFormatException($"DNS message of {output.Count} bytes exceeds {DnsLimits.MaxMessage}");
        }

        return [.. output];
    }

    private static void Record(List<byte> output, DnsRecord record)
    {
        Name(output, record.Name);
        UInt16(output, (int)record.Type);
        UInt16(output, record.CacheFlush ? 0x8001 : 1);
        Span<byte> ttl = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ttl, record.Ttl);
        output.AddRange(ttl);
        int lengthAt = output.Count;
        UInt16(output, 0);
        switch (record)
        {
            case DnsPtrRecord ptr:
                Name(output, ptr.Target);
                break;
            case DnsSrvRecord srv:
                UInt16(output, srv.Priority);
                UInt16(output, srv.Weight);
                UInt16(output, srv.Port);
                Name(output, srv.Target);
                break;
            case DnsTxtRecord txt:
                foreach (var s in txt.Strings)
                {
                    if (s.Length > 255)
                    {
                        throw new DnsFormatException("TXT string longer than 255 bytes");
                    }

                    output.Add((byte)s.Length);
                    output.AddRange(s);
                }

                if (txt.Strings.Count == 0)
                {
                    output.Add(0); // RFC 6763 §6.1: an empty TXT record is one empty string
                }

                break;
            case DnsAddressRecord address:
                output.AddRange(address.Address.GetAddressBytes());
                break;
            case DnsUnknownRecord unknown:
                output.AddRange(unknown.Data);
                break;
        }

        int length = output.Count - lengthAt - 2;
        output[lengthAt] = unchecked((byte)(length >> 8));
        output[lengthAt + 1] = unchecked((byte)length);
    }

    private static void Name(List<byte> output, string name)
    {
        int start = output.Count;
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(label);
            if (bytes.Length > DnsLimits.MaxLabel)
            {
                throw new DnsFormatException($"label '{label}' longer than {DnsLimits.MaxLabel} bytes");
            }

            output.Add((byte)bytes.Length);
            output.AddRange(bytes);
        }

        output.Add(0);
        if (output.Count - start > DnsLimits.MaxName)
        {
            throw new DnsFormatException($"name '{name}' longer than {DnsLimits.MaxName} bytes");
        }
    }

    private static void UInt16(List<byte> output, int value)
    {
        output.Add(unchecked((byte)(value >> 8)));
        output.Add(unchecked((byte)value));
    }
}
