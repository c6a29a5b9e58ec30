using Microsoft.Data.Sqlite;

namespace Synapse;

/// <summary>How the stores open their SQLite files: created when missing, WAL with synchronous writes, so a write that returned is on disk.</summary>
internal static class SqliteFiles
{
    /// <summary>
    /// Opens (or creates) <paramref name="fileName"/> in <paramref name="directory"/>, which is created when missing,
    /// and runs <paramref name="schema"/> (its <c>CREATE … IF NOT EXISTS</c> statements).
    /// </summary>
    public static SqliteConnection OpenDurable(string directory, string fileName, string schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, fileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;\n" + schema;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs one statement with named parameters; returns the rows it changed.</summary>
    public static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }
}
