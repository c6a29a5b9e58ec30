using System.Buffers;
using Synapse.Flows.Graph;
using Synapse.MessagePack;

namespace Synapse.Reputation;

/// <summary>The encoding of an evidence set: <c>[1, [record…], [report…], [attestation…]]</c>, each item a bin of its stored form.</summary>
public sealed partial class EvidenceSet
{
    private const int WireVersion = 1;

    /// <summary>Encodes the set: a MessagePack array of the version and three arrays of bin items, in the order added.</summary>
    /// <returns>The encoded set.</returns>
    public byte[] Encode()
    {
        var output = new ArrayBufferWriter<byte>(4096);
        var writer = new MsgPackWriter(output);
        writer.WriteArrayHeader(4);
        writer.WriteInt32(WireVersion);
        writer.Flush();
        Items(output, _records.ConvertAll(r => r.Bytes));
        Items(output, _reports.ConvertAll(r => r.Encoded));
        Items(output, _quarantines.ConvertAll(q => q.Encoded));
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a set written by <see cref="Encode"/>. Signatures are not checked here.</summary>
    /// <param name="encoded">The encoded set, at most <see cref="EvidenceLimits.MaxEncodedSize"/> bytes.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ReputationException">The bytes are malformed, over the limits, or hold a malformed item.</exception>
    public static EvidenceSet Decode(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.Length > EvidenceLimits.MaxEncodedSize)
        {
            throw new ReputationException($"Malformed evidence set: {encoded.Length} bytes; at most {EvidenceLimits.MaxEncodedSize} are allowed.");
        }

        var set = new EvidenceSet();
        try
        {
            var reader = new MsgPackReader(encoded);
            if (reader.ReadArrayHeader() != 4 || reader.ReadInt32() != WireVersion)
            {
                throw new ReputationException($"Malformed evidence set: expected version {WireVersion} with 4 fields.");
            }

            for (int kind = 0; kind < 3; kind++)
            {
                int count = reader.ReadArrayHeader();
                if (count > EvidenceLimits.MaxItems - set.Count)
                {
                    throw new ReputationException($"Malformed evidence set: more than {EvidenceLimits.MaxItems} items.");
                }

                for (int i = 0; i < count; i++)
                {
                    byte[] item = reader.ReadBinary();
                    _ = kind switch
                    {
                        0 => set.Add(DecodeRecord(item)),
                        1 => set.Add(ReputationReport.Decode(item)),
                        _ => set.Add(QuarantineAttestation.Decode(item)),
                    };
                }
            }

            if (!reader.End)
            {
                throw new ReputationException("Malformed evidence set: bytes follow the set.");
            }
        }
        catch (MsgPackException e)
        {
            throw new ReputationException($"Malformed evidence set: {e.Message}", e);
        }

        return set;
    }

    private static DecisionRecord DecodeRecord(byte[] item)
    {
        try
        {
            return DecisionRecord.Decode(item);
        }
        catch (DecisionGraphException e)
        {
            throw new ReputationException($"Malformed evidence set: {e.Message}", e);
        }
    }

    private static void Items(IBufferWriter<byte> output, List<ReadOnlyMemory<byte>> items)
    {
        var writer = new MsgPackWriter(output);
        writer.WriteArrayHeader(items.Count);
        foreach (ReadOnlyMemory<byte> item in items)
        {
            writer.WriteBinary(item.Span);
        }

        writer.Flush();
    }
}
