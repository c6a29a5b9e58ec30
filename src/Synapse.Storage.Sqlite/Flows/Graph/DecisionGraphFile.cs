using Microsoft.Data.Sqlite;
using Synapse.Identity;

namespace Synapse.Flows.Graph;

/// <summary>What a <c>decisions.db</c> holds: its owner, the owner's records and the imported peer records.</summary>
/// <param name="Path">The file.</param>
/// <param name="Agent">The owner (the default value when the file has no owner yet).</param>
/// <param name="Records">The owner's records in sequence order.</param>
/// <param name="PeerRecords">Other agents' records, by agent then sequence.</param>
public sealed record DecisionGraphSnapshot(string Path, AgentId Agent, IReadOnlyList<DecisionRecord> Records, IReadOnlyList<DecisionRecord> PeerRecords);

/// <summary>Reads a decision graph file without opening it for writing and without an identity (for tools).</summary>
public static class DecisionGraphFile
{
    /// <summary>Reads every record of the file at <paramref name="path"/>. Does not verify signatures or the chain
    /// (<see cref="DecisionGraphVerifier"/> does).</summary>
    /// <param name="path">A <c>decisions.db</c>.</param>
    /// <returns>Its contents.</returns>
    /// <exception cref="FileNotFoundException">There is no file.</exception>
    /// <exception cref="DecisionGraphException">The file is not a readable decision graph, or a record is corrupt.</exception>
    public static DecisionGraphSnapshot Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = System.IO.Path.GetFullPath(path);
        try
        {
            using SqliteConnection connection = DecisionStore.OpenReadOnly(path);
            byte[]? owner = DecisionStore.ReadOwner(connection);
            AgentId agent = owner is { Length: 32 } ? AgentId.FromPublicKey(owner) : default;
            var records = DecisionStore.ReadRows(connection, 1, long.MaxValue).Select(row => DecisionGraph.FromRow(row, path, agent)).ToList();
            var peers = DecisionStore.ReadPeerRows(connection).Select(row => PeerFromRow(row, path)).ToList();
            return new DecisionGraphSnapshot(path, agent, records, peers);
        }
        catch (SqliteException e)
        {
            throw new DecisionGraphException($"'{path}' is not a readable decision graph: {e.Message}", e);
        }
    }

    private static DecisionRecord PeerFromRow(StoredPeerRow row, string path)
    {
        try
        {
            DecisionRecord record = DecisionRecord.Decode(row.Record ?? throw new DecisionGraphException("the record column is not a blob."));
            if (row.Hash is null || !record.Hash.Bytes.SequenceEqual(row.Hash))
            {
                throw new DecisionGraphException("the row's hash does not match the record.");
            }

            return record;
        }
        catch (DecisionGraphException e)
        {
            throw new DecisionGraphException($"'{path}': peer record #{row.Sequence}: {e.Message}", e);
        }
    }
}
