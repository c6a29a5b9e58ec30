namespace Synapse.Tasks;

/// <summary>
/// Where a host keeps its tasks so they survive a restart (<c>SqliteTaskStore</c> in Synapse.Storage.Sqlite). The
/// host calls it from the tasks' own threads, so an implementation is thread-safe; a save returns once it is durable.
/// </summary>
public interface IAgentTaskStore
{
    /// <summary>Every task kept, read once when a host starts.</summary>
    IReadOnlyList<AgentTaskRecord> Load();

    /// <summary>Inserts or replaces the task with the record's id.</summary>
    void Save(AgentTaskRecord record);

    /// <summary>Forgets the task (its retention ended).</summary>
    void Delete(string id);
}
