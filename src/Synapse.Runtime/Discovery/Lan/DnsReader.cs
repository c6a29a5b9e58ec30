using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Synapse.Discovery.Lan;

/// <summary>
/// Reads a DNS message (RFC 1035 §4) from untrusted bytes. Names may be compressed; every pointer must point
/// strictly backwards, at most <see cref="DnsLimits.MaxPointers"/> are followed, and a name may not exceed
/// <see cref="DnsLimits.MaxName"/> bytes, so a hostile packet cannot loop or blow up. Any fault throws
/// <see cref="DnsFormatException"/> naming what was wrong.
/// </summary>
internal ref struct DnsReader
{
    private readonly ReadOnlySpan<byte> _message;
    private int _position;

    private DnsReader(ReadOnlySpan<byte> message) => _message = message;

    /// <summary>Reads a whole message.</summary>
    public static DnsMessage Read(ReadOnlySpan<byte> message)
    {
        if (message.Length > DnsLimits.MaxMessage)
        {
            throw new DnsFormatException($"DNS message of {message.Length} bytes exceeds {DnsLimits.MaxMessage}");
        }

        var reader = new DnsReader(message);
        ushort id = reader.ReadUInt16("header");
        ushort flags = reader.ReadUInt16("header");
        int questions = reader.ReadUInt16("header");
        int answers = reader.ReadUInt16("header");
        int authorities = reader.ReadUInt16("header");
        int additionals = reader.ReadUInt16("header");
        if (questions + answers + authorities + additionals > DnsLimits.MaxEntries)
        {
            throw new DnsFormatException($"DNS message declares more than {DnsLimits.MaxEntries} entries");
        }

        var q = new DnsQuestion[questions];
        for (int i = 0; i < questions; i++)
        {
            q[i] = reader.ReadQuestion();
        }

        return new DnsMessage(id, flags)
        {
            Questions = q,
            Answers = reader.ReadRecords(answers),
            Authorities = reader.ReadRecords(authorities),
            Additionals = reader.ReadRecords(additionals),
        };
    }

    private DnsQuestion ReadQuestion()
    {
        string name = ReadName();
        ushort type = ReadUInt16("question");
        ushort cls = ReadUInt16("question");
        return new DnsQuestion(name, (DnsRecordType)type, (cls & 0x8000) != 0);
    }

    private DnsRecord[] ReadRecords(int count)
    {
        var records = new DnsRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = ReadRecord();
        }

        return records;
    }

    private DnsRecord ReadRecord()
    {
        string name = ReadName();
        ushort type = ReadUInt16("record");
        ushort cls = ReadUInt16("record");
        uint ttl = ReadUInt32("record");
        int length = ReadUInt16("record");
        int end = _position + length;
        if (end > _message.Length)
        {
            throw new DnsFormatException($"record data of {length} bytes for {name} runs past the end of the message");
        }

        DnsRecord record = (DnsRecordType)type switch
        {
            DnsRecordType.Ptr => new DnsPtrRecord(name, ttl, ReadName()),
            DnsRecordType.Srv => new DnsSrvRecord(
                name, ttl, ReadUInt16("SRV"), ReadUInt16("SRV"), ReadUInt16("SRV"), ReadName()),
            DnsRecordType.Txt => new DnsTxtRecord(name, ttl, ReadStrings(end)),
            DnsRecordType.A when length == 4 => new DnsAddressRecord(name, ttl, new IPAddress(Take(4, "A"))),
            DnsRecordType.Aaaa when length == 16 => new DnsAddressRecord(name, ttl, new IPAddress(Take(16, "AAAA"))),
            DnsRecordType.A or DnsRecordType.Aaaa =>
                throw new DnsFormatException($"address record for {name} has {length} bytes of data"),
            _ => new DnsUnknownRecord(name, ttl, type, Take(length, "record").ToArray()),
        };
        if (_position != end)
        {
            throw new DnsFormatException($"{(DnsRecordType)type} record for {name} does not fill its {length} bytes of data");
        }

        return record with { CacheFlush = (cls & 0x8000) != 0 };
    }

    private List<byte[]> ReadStrings(int end)
    {
        var strings = new List<byte[]>();
        while (_position < end)
        {
            int length = Take(1, "TXT")[0];
            if (_position + length > end)
            {
                throw new DnsFormatException("TXT string runs past its record");
            }

            strings.Add(Take(length, "TXT").ToArray());
        }

        return strings;
    }

    /// <summary>Reads a possibly compressed name at the cursor, leaving the cursor after its in-place part.</summary>
    private string ReadName()
    {
        var name = new StringBuilder();
        int wireLength = 1; // the final zero octet
        int position = _position;
        int pointers = 0;
        int resumeAt = -1;
        while (true)
        {
            if (position >= _message.Length)
            {
                throw new DnsFormatException("name runs past the end of the message");
            }

            int length = _message[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= _message.Length)
                {
                    throw new DnsFormatException("compression pointer cut short");
                }

                int target = ((length & 0x3F) << 8) | _message[position + 1];
                if (target >= position || ++pointers > DnsLimits.MaxPointers)
                {
                    throw new DnsFormatException("compression pointer loops or points forward");
                }

                if (resumeAt < 0)
                {
                    resumeAt = position + 2;
                }

                position = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new DnsFormatException($"unsupported label type 0x{length:X2}");
            }

            position++;
            if (length == 0)
            {
                break;
            }

            wireLength += length + 1;
            if (wireLength > DnsLimits.MaxName)
            {
                throw new DnsFormatException($"name longer than {DnsLimits.MaxName} bytes");
            }

            if (position + length > _message.Length)
            {
                throw new DnsFormatException("label runs past the end of the message");
            }

            string label = DecodeLabel(_message.Slice(position, length));
            name.Append(label).Append('.');
            position += length;
        }

        _position = resumeAt >= 0 ? resumeAt : position;
        return name.Length == 0 ? "." : name.ToString();
    }

    private static string DecodeLabel(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)'.'))
        {
            throw new DnsFormatException("labels containing '.' are not supported");
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DnsFormatException("label is not valid UTF-8");
        }
    }

    private ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, what));

    private uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, what));

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (_position + count > _message.Length)
        {
            throw new DnsFormatException($"{what} truncated at byte {_position} of {_message.Length}");
        }

        var span = _message.Slice(_position, count);
        _position += count;
        return span;
    }
}
