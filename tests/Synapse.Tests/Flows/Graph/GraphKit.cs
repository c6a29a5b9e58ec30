using Microsoft.Data.Sqlite;
using Synapse.Flows.Graph;

namespace Synapse.Tests.Flows.Graph;

/// <summary>An agent data directory under the temp directory, deleted on dispose.</summary>
internal sealed class GraphDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("synapse-graph-").FullName;

    /// <summary>The graph file of this directory.</summary>
    public string Database => System.IO.Path.Combine(Path, DecisionGraph.FileName);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Drafts and raw SQL access for the graph tests.</summary>
internal static class GraphKit
{
    public static DecisionDraft Draft(int step, DecisionHash? cause = null, params DecisionHash[] peers) => new()
    {
        Route = "review/submit",
        StatesBefore = [$"doc:step-{step - 1}"],
        StatesAfter = [$"doc:step-{step}"],
        Trigger = "ok.match",
        Action = DecisionActions.Move,
        Data = new byte[] { (byte)step, 1, 2, 3 },
        CauseMessageId = cause is null ? null : Guid.NewGuid(),
        CauseHash = cause,
        PeerRefs = peers,
    };

    public static List<DecisionRecord> Fill(DecisionGraph graph, int count) =>
        [.. Enumerable.Range(1, count).Select(i => graph.Append(Draft(i)))];

    /// <summary>Runs a statement on the file through a connection of its own (not durable: tests only).</summary>
    public static int Sql(string database, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = OFF; " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    /// <summary>The stored blob of record <paramref name="sequence"/>.</summary>
    public static byte[] StoredRecord(string database, long sequence)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM records WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", sequence);
        return (byte[])command.ExecuteScalar()!;
    }
}
