using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// A statement prepared once on a connection and bound through SQLite's own <c>sqlite3_bind_*</c>: no parameter objects,
/// binders, boxed values or data reader per execution (Microsoft.Data.Sqlite allocates those on every execute). It runs
/// inside whatever transaction the connection has open; a result other than done throws as Microsoft.Data.Sqlite would.
/// Not thread-safe: one writer uses it.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;

    /// <param name="names">The parameters in the order <see cref="Bind(int, string)"/> and its siblings number them (0-based).</param>
    public SqliteStatement(SqliteConnection connection, string sql, params string[] names)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out _statement), _db);
        _indexes = new int[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            _indexes[i] = raw.sqlite3_bind_parameter_index(_statement, names[i]);
            if (_indexes[i] != 0) continue;
            _statement.Dispose();
            throw new ArgumentException($"no parameter {names[i]} in: {sql}", nameof(names));
        }
    }

    /// <summary>Text as text; an empty string as empty text (an empty span would reach SQLite as a null pointer, i.e. NULL).</summary>
    public void Bind(int parameter, string value) => Check(value.Length == 0
        ? raw.sqlite3_bind_text(_statement, _indexes[parameter], "")
        : raw.sqlite3_bind_text16(_statement, _indexes[parameter], value.AsSpan()));

    public void Bind(int parameter, long value) => Check(raw.sqlite3_bind_int64(_statement, _indexes[parameter], value));

    public void Bind(int parameter, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, _indexes[parameter], v) : raw.sqlite3_bind_null(_statement, _indexes[parameter]));

    /// <summary>A blob; an empty one as a zero-length blob, not NULL (see <see cref="Bind(int, string)"/>).</summary>
    public void Bind(int parameter, ReadOnlySpan<byte> value) => Check(value.IsEmpty
        ? raw.sqlite3_bind_zeroblob(_statement, _indexes[parameter], 0)
        : raw.sqlite3_bind_blob(_statement, _indexes[parameter], value));

    public void BindNull(int parameter) => Check(raw.sqlite3_bind_null(_statement, _indexes[parameter]));

    /// <summary>How many parameters the statement was prepared with.</summary>
    public int Parameters => _indexes.Length;

    /// <summary>Runs the statement once with the values bound now, and readies it for the next.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _statement.Dispose();
}
