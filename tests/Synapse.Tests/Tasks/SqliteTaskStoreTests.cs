using Microsoft.Data.Sqlite;
using Synapse.Tasks;

namespace Synapse.Tests.Tasks;

/// <summary>The SQLite task store: every field back as saved, across a reopen; deletes; damage named.</summary>
public sealed class SqliteTaskStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-task-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Records_come_back_as_saved_after_a_reopen()
    {
        var finished = Record("a") with
        {
            Owner = "did:key:z6Mkexample",
            State = AgentTaskState.Completed,
            Result = new byte[] { 0xa2, (byte)'o', (byte)'k' },
            Sequence = 2048,
            Attempt = 2,
        };
        var failed = Record("b") with { State = AgentTaskState.Failed, ErrorCode = "internal_error", ErrorMessage = "it broke" };
        var asking = Record("c") with { State = AgentTaskState.InputRequired, Prompt = "which one?" };
        using (var store = SqliteTaskStore.Open(_directory))
        {
            store.Save(Record("a"));
            store.Save(finished); // replaces
            store.Save(failed);
            store.Save(asking);
        }

        using var reopened = SqliteTaskStore.Open(_directory);
        var loaded = reopened.Load().OrderBy(r => r.Id).ToList();

        Assert.Equal(3, loaded.Count);
        AssertSame(finished, loaded[0]);
        AssertSame(failed, loaded[1]);
        AssertSame(asking, loaded[2]);
        Assert.Null(loaded[1].Result);
        Assert.Null(loaded[2].Owner);
    }

    [Fact]
    public void A_deleted_record_is_gone()
    {
        using var store = SqliteTaskStore.Open(_directory);
        store.Save(Record("a"));
        store.Save(Record("b"));

        store.Delete("a");
        store.Delete("unknown");

        Assert.Equal(["b"], store.Load().Select(r => r.Id));
    }

    [Fact]
    public void A_row_with_an_unknown_state_is_named_when_loading()
    {
        using (var store = SqliteTaskStore.Open(_directory))
        {
            store.Save(Record("a"));
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "tasks.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE tasks SET state = 'sleeping'";
            command.ExecuteNonQuery();
        }

        using var reopened = SqliteTaskStore.Open(_directory);
        var error = Assert.Throws<InvalidDataException>(() => reopened.Load());

        Assert.Equal("tasks.db: task a: 'sleeping' is not a task state (submitted, working, input-required, completed, failed, canceled)", error.Message);
    }

    private static AgentTaskRecord Record(string id) => new()
    {
        Id = id,
        Endpoint = "build",
        Arguments = new byte[] { 0x91, 0x03 },
        KeywordArguments = new byte[] { 0x80 },
        State = AgentTaskState.Working,
        Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000),
        Updated = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500),
        Sequence = 1024,
        Attempt = 1,
    };

    private static void AssertSame(AgentTaskRecord expected, AgentTaskRecord actual)
    {
        Assert.Equal(expected with { Arguments = default, KeywordArguments = default, Result = null }, actual with { Arguments = default, KeywordArguments = default, Result = null });
        Assert.Equal(expected.Arguments.ToArray(), actual.Arguments.ToArray());
        Assert.Equal(expected.KeywordArguments.ToArray(), actual.KeywordArguments.ToArray());
        Assert.Equal(expected.Result?.ToArray(), actual.Result?.ToArray());
    }
}
