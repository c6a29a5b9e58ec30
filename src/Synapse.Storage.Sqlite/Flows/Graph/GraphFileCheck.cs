using Microsoft.Data.Sqlite;
using Synapse.Identity;

namespace Synapse.Flows.Graph;

/// <summary>A cross-link found in a verified record: from (agent, sequence) in a file to a hash.</summary>
internal readonly record struct CrossLink(string Path, AgentId Agent, long Sequence, DecisionHash Target);

/// <summary>Checks one graph file on its own: the owner's chain (up to the first bad record) and the peer records.</summary>
internal sealed class GraphFileCheck
{
    private GraphFileCheck(string path) => Path = path;

    public string Path { get; }

    public AgentId Owner { get; private set; }

    public List<DecisionRecord> Chain { get; } = [];

    public List<DecisionRecord> PeerRecords { get; } = [];

    public List<CrossLink> Links { get; } = [];

    public List<DecisionGraphProblem> Problems { get; } = [];

    public DecisionGraphSummary Summary => new(Path, Owner, Chain.Count, PeerRecords.Count);

    public static GraphFileCheck Run(string path)
    {
        var check = new GraphFileCheck(System.IO.Path.GetFullPath(path));
        try
        {
            using SqliteConnection connection = DecisionStore.OpenReadOnly(check.Path);
            if (DecisionStore.IntegrityProblem(connection) is { } integrity)
            {
                check.Fail(DecisionProblemKind.Unreadable, null, $"the SQLite integrity check failed: {integrity}");
                return check;
            }

            byte[]? owner = DecisionStore.ReadOwner(connection);
            if (owner is not null && owner.Length != 32)
            {
                check.Fail(DecisionProblemKind.Unreadable, null, $"the owner key is {owner.Length} bytes, not 32");
                return check;
            }

            check.Owner = owner is null ? default : AgentId.FromPublicKey(owner);
            check.CheckChain(DecisionStore.ReadRows(connection, long.MinValue, long.MaxValue));
            check.CheckPeers(DecisionStore.ReadPeerRows(connection));
        }
        catch (Exception e) when (e is SqliteException or DecisionGraphException or IOException or InvalidCastException or FormatException)
        {
            check.Fail(DecisionProblemKind.Unreadable, null, $"cannot read the graph: {e.Message.TrimEnd('.')}");
        }

        return check;
    }

    private void CheckChain(IEnumerable<StoredRow> rows)
    {
        DecisionRecord? previous = null;
        foreach (StoredRow row in rows)
        {
            long expected = (previous?.Sequence ?? 0) + 1;
            string name = $"record #{row.Sequence} of {Describe(Owner)}";
            if (row.Record is null || row.Hash is null)
            {
                Fail(DecisionProblemKind.Undecodable, row.Sequence, $"{name}: a column is not a blob");
                return;
            }

            DecisionRecord record;
            try
            {
                record = DecisionRecord.Decode(row.Record);
            }
            catch (DecisionGraphException e)
            {
                Fail(DecisionProblemKind.Undecodable, row.Sequence, $"{name}: {e.Message.TrimEnd('.')}");
                return;
            }

            string? problem = null;
            DecisionProblemKind kind = default;
            if (Owner.IsDefault || record.Agent != Owner)
            {
                (kind, problem) = (DecisionProblemKind.WrongAgent, $"signed by {record.Agent}, not the graph's owner");
            }
            else if (!record.VerifySignature())
            {
                (kind, problem) = (DecisionProblemKind.BadSignature, "bad signature");
            }
            else if (!record.Hash.Bytes.SequenceEqual(row.Hash))
            {
                (kind, problem) = (DecisionProblemKind.HashMismatch, $"the stored hash {Convert.ToHexStringLower(row.Hash)} is not the record's hash {record.Hash}");
            }
            else if (record.Sequence != row.Sequence)
            {
                (kind, problem) = (DecisionProblemKind.SequenceMismatch, $"stored as #{row.Sequence} but the record says #{record.Sequence}");
            }
            else if (record.Sequence != expected)
            {
                (kind, problem) = (DecisionProblemKind.SequenceGap, $"broken chain: expected #{expected} after {(previous is null ? "the start" : $"#{previous.Sequence}")}");
            }
            else if (record.Previous != (previous?.Hash ?? DecisionHash.Zero))
            {
                (kind, problem) = (DecisionProblemKind.PreviousMismatch, $"broken chain: the previous hash {record.Previous} is not the hash of {(previous is null ? "the start (zeros)" : $"#{previous.Sequence}")}");
            }
            else if (previous is not null && record.Timestamp < previous.Timestamp)
            {
                (kind, problem) = (DecisionProblemKind.TimestampBackwards, $"the timestamp {record.Timestamp:O} is earlier than #{previous.Sequence}'s");
            }

            if (problem is not null)
            {
                Fail(kind, row.Sequence, $"{name}: {problem}");
                return;
            }

            Chain.Add(record);
            foreach (DecisionHash target in record.CrossLinks)
            {
                Links.Add(new CrossLink(Path, record.Agent, record.Sequence, target));
            }

            previous = record;
        }
    }

    private void CheckPeers(IEnumerable<StoredPeerRow> rows)
    {
        foreach (StoredPeerRow row in rows)
        {
            AgentId agent = row.Agent is { Length: 32 } key ? AgentId.FromPublicKey(key) : default;
            string name = $"peer record #{row.Sequence} of {Describe(agent)}";
            try
            {
                DecisionRecord record = DecisionRecord.Decode(row.Record ?? throw new DecisionGraphException("the record column is not a blob"));
                string? problem =
                    !record.VerifySignature() ? "bad signature"
                    : row.Hash is null || !record.Hash.Bytes.SequenceEqual(row.Hash) ? "the stored hash is not the record's hash"
                    : record.Agent != agent || record.Sequence != row.Sequence ? "the stored agent or sequence is not the record's"
                    : null;
                if (problem is not null)
                {
                    Problems.Add(new DecisionGraphProblem(DecisionProblemKind.BadPeerRecord, Path, agent, row.Sequence, $"{name}: {problem}"));
                    continue;
                }

                PeerRecords.Add(record);
            }
            catch (DecisionGraphException e)
            {
                Problems.Add(new DecisionGraphProblem(DecisionProblemKind.BadPeerRecord, Path, agent, row.Sequence, $"{name}: {e.Message.TrimEnd('.')}"));
            }
        }
    }

    private void Fail(DecisionProblemKind kind, long? sequence, string message) =>
        Problems.Add(new DecisionGraphProblem(kind, Path, Owner, sequence, message));

    private static string Describe(AgentId agent) => agent.IsDefault ? "an unknown agent" : agent.ToString();
}
