using System.Globalization;
using System.Text.RegularExpressions;

namespace Synapse.Tests.Crypto.Hpke;

/// <summary>One encryption of an HPKE test vector.</summary>
internal sealed record HpkeEncryptionVector(ulong SequenceNumber, byte[] Plaintext, byte[] Aad, byte[] Nonce, byte[] Ciphertext);

/// <summary>One export of an HPKE test vector.</summary>
internal sealed record HpkeExportVector(byte[] Context, int Length, byte[] Value);

/// <summary>One setup (base, psk, auth or auth_psk) of the RFC 9180 test vectors, with its encryptions and exports.</summary>
internal sealed class HpkeVector
{
    public required string Name { get; init; }

    public required IReadOnlyDictionary<string, byte[]> Fields { get; init; }

    public required int Mode { get; init; }

    public required IReadOnlyList<HpkeEncryptionVector> Encryptions { get; init; }

    public required IReadOnlyList<HpkeExportVector> Exports { get; init; }

    public byte[] this[string field] => Fields[field];

    public byte[] Optional(string field) => Fields.TryGetValue(field, out byte[]? value) ? value : [];

    public override string ToString() => Name;
}

/// <summary>
/// Reads <c>tests/vectors/hpke/x25519-hkdfsha256-chacha20poly1305.txt</c>: the RFC 9180 appendix A.2 text, where
/// each field is <c>name: hex</c> and long hex values continue on the following lines.
/// </summary>
internal static partial class HpkeVectors
{
    private static readonly Lazy<IReadOnlyDictionary<string, HpkeVector>> Loaded = new(Load);

    public static IReadOnlyDictionary<string, HpkeVector> All => Loaded.Value;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [GeneratedRegex(@"^([A-Za-z_ ]+):\s*([0-9a-fA-F]*)\s*$")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"^[0-9a-fA-F]+$")]
    private static partial Regex HexLine();

    private static Dictionary<string, HpkeVector> Load()
    {
        string path = VectorFiles.Path("hpke", "x25519-hkdfsha256-chacha20poly1305.txt");
        var vectors = new Dictionary<string, HpkeVector>(StringComparer.Ordinal);
        string? section = null;
        string part = "setup";
        var fields = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var records = new List<Dictionary<string, string>>();
        var encryptions = new List<HpkeEncryptionVector>();
        var exports = new List<HpkeExportVector>();
        Dictionary<string, string>? record = null;
        string? lastKey = null;

        void FlushRecords()
        {
            foreach (Dictionary<string, string> r in records)
            {
                if (r.ContainsKey("sequence number"))
                {
                    encryptions.Add(new HpkeEncryptionVector(
                        ulong.Parse(r["sequence number"], CultureInfo.InvariantCulture),
                        Convert.FromHexString(r["pt"]),
                        Convert.FromHexString(r["aad"]),
                        Convert.FromHexString(r["nonce"]),
                        Convert.FromHexString(r["ct"])));
                }
                else
                {
                    exports.Add(new HpkeExportVector(
                        Convert.FromHexString(r["exporter_context"]),
                        int.Parse(r["L"], CultureInfo.InvariantCulture),
                        Convert.FromHexString(r["exported_value"])));
                }
            }

            records.Clear();
        }

        void FlushSection()
        {
            FlushRecords();
            if (section is not null)
            {
                vectors.Add(section, new HpkeVector
                {
                    Name = section,
                    Fields = new Dictionary<string, byte[]>(fields, StringComparer.Ordinal),
                    Mode = fields["mode"][0],
                    Encryptions = [.. encryptions],
                    Exports = [.. exports],
                });
            }

            fields.Clear();
            encryptions.Clear();
            exports.Clear();
        }

        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                FlushSection();
                section = line[4..].Replace(" Setup Information", "", StringComparison.Ordinal);
                part = "setup";
                continue;
            }

            if (line.StartsWith("#### ", StringComparison.Ordinal))
            {
                FlushRecords();
                part = line[5..];
                continue;
            }

            if (section is null || line.Length == 0 || line.StartsWith('#') || line == "~~~")
            {
                continue;
            }

            Match field = FieldLine().Match(line);
            if (field.Success)
            {
                lastKey = field.Groups[1].Value;
                string value = field.Groups[2].Value;
                if (part == "setup")
                {
                    // mode, kem_id, … are decimal; store them as a single byte where they fit.
                    fields[lastKey] = lastKey is "mode" or "kem_id" or "kdf_id" or "aead_id"
                        ? [byte.Parse(value, CultureInfo.InvariantCulture)]
                        : Convert.FromHexString(value);
                }
                else
                {
                    if (lastKey is "sequence number" or "exporter_context")
                    {
                        record = new Dictionary<string, string>(StringComparer.Ordinal);
                        records.Add(record);
                    }

                    record![lastKey] = value;
                }
            }
            else if (HexLine().IsMatch(line) && lastKey is not null)
            {
                if (part == "setup")
                {
                    fields[lastKey] = [.. fields[lastKey], .. Convert.FromHexString(line)];
                }
                else
                {
                    record![lastKey] += line;
                }
            }
            else
            {
                throw new FormatException($"Unexpected line in {path}: {raw}");
            }
        }

        FlushSection();
        return vectors;
    }
}
