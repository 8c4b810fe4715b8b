using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The owner of the <see cref="SqliteStatement"/>s prepared on one connection: it finalizes every one of them when
/// disposed, and — when preparing fails part way (<see cref="Prepare{T}"/>) — those prepared before the failure. A statement
/// left unfinalized keeps the connection's database open after the connection is closed. Not thread-safe.
/// </summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private readonly List<SqliteStatement> _prepared = [];

    /// <summary>
    /// Runs <paramref name="prepare"/> (which prepares through <see cref="Statement"/>) and returns what it made; when it
    /// throws, every statement this owner holds is finalized before the exception goes on.
    /// </summary>
    public T Prepare<T>(Func<SqliteStatements, T> prepare)
    {
        try
        {
            return prepare(this);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A statement prepared on the connection, finalized with this owner.</summary>
    public SqliteStatement Statement(string sql, params string[] names)
    {
        var statement = new SqliteStatement(connection, sql, names);
        _prepared.Add(statement);
        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in _prepared) statement.Dispose();
        _prepared.Clear();
    }
}
