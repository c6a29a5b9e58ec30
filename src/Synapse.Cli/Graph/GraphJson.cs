using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Synapse.Flows.Graph;

namespace Synapse.Cli.Graph;

/// <summary>A decision graph as a JSON array: the owner's records in order, then the imported peer records.</summary>
internal static class GraphJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(DecisionGraphSnapshot graph)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartArray();
            foreach (var record in graph.Records)
            {
                WriteRecord(writer, record, imported: false);
            }

            foreach (var record in graph.PeerRecords)
            {
                WriteRecord(writer, record, imported: true);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteRecord(Utf8JsonWriter writer, DecisionRecord record, bool imported)
    {
        writer.WriteStartObject();
        writer.WriteString("agent", record.Agent.ToString());
        writer.WriteNumber("sequence", record.Sequence);
        writer.WriteString("hash", record.Hash.ToString());
        writer.WriteString("previous", record.Previous.ToString());
        writer.WriteString("timestamp", record.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        writer.WriteString("route", record.Route);
        WriteStrings(writer, "statesBefore", record.StatesBefore);
        WriteStrings(writer, "statesAfter", record.StatesAfter);
        writer.WriteString("trigger", record.Trigger);
        writer.WriteString("action", record.Action);
        writer.WriteString("dataDigest", record.DataDigest.IsEmpty ? null : Convert.ToHexStringLower(record.DataDigest.Span));
        writer.WriteString("causeMessageId", record.CauseMessageId?.ToString());
        writer.WriteString("causeHash", record.CauseHash?.ToString());
        WriteStrings(writer, "peerRefs", record.PeerRefs.Select(h => h.ToString()));
        writer.WriteString("signature", Convert.ToHexStringLower(record.Signature.Span));
        writer.WriteBoolean("imported", imported);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
