using System.Collections.Concurrent;
using System.Text.Json;

namespace Synapse.Tests.Crypto;

/// <summary>One Wycheproof test case with the group it belongs to.</summary>
internal sealed record WycheproofCase(int TcId, JsonElement Group, JsonElement Test)
{
    public string Result => Test.GetProperty("result").GetString()!;

    public string Comment => Test.GetProperty("comment").GetString()!;

    public IReadOnlyList<string> Flags => [.. Test.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)];

    public byte[] Bytes(string name) => Convert.FromHexString(Test.GetProperty(name).GetString()!);

    public override string ToString() => $"tcId {TcId} ({Result}; {string.Join(", ", Flags)}; {Comment})";
}

/// <summary>Loads the Wycheproof files in <c>tests/vectors/wycheproof</c> and lists their cases by tcId.</summary>
internal static class Wycheproof
{
    private static readonly ConcurrentDictionary<string, Dictionary<int, WycheproofCase>> Files = new();

    public static WycheproofCase Case(string file, int tcId) => Load(file)[tcId];

    public static IEnumerable<WycheproofCase> All(string file) => Load(file).Values;

    /// <summary>The tcIds of a file, for <c>[MemberData]</c> (so each case shows by its id).</summary>
    public static TheoryData<int> Ids(string file)
    {
        var data = new TheoryData<int>();
        foreach (int id in Load(file).Keys.Order())
        {
            data.Add(id);
        }

        return data;
    }

    private static Dictionary<int, WycheproofCase> Load(string file) => Files.GetOrAdd(file, static name =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(VectorFiles.Path("wycheproof", name)));
        var cases = new Dictionary<int, WycheproofCase>();
        int declared = document.RootElement.GetProperty("numberOfTests").GetInt32();
        foreach (JsonElement group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            JsonElement groupCopy = group.Clone();
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                int id = test.GetProperty("tcId").GetInt32();
                cases.Add(id, new WycheproofCase(id, groupCopy, test.Clone()));
            }
        }

        return cases.Count == declared
            ? cases
            : throw new InvalidDataException($"{name}: {cases.Count} cases, but the file declares {declared}.");
    });
}
