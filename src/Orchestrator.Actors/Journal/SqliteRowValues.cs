namespace Orchestrator.Actors.Journal;

/// <summary>
/// A <see cref="SqliteStatement"/> bound value after value in parameter order (<see cref="Start"/> begins a row). A row
/// that bound another number of values than the statement has is refused before it runs: bindings stay from the row
/// before, so a row one value short would store that row's value silently. The statement's owner finalizes it
/// (<see cref="SqliteStatements"/>).
/// </summary>
internal sealed class SqliteRowValues(SqliteStatement statement) : IRowValues
{
    private int _next;

    public SqliteRowValues Start()
    {
        _next = 0;
        return this;
    }

    public void Text(string? value)
    {
        if (value is null) statement.BindNull(_next++);
        else statement.Bind(_next++, value);
    }

    public void Long(long? value) => statement.Bind(_next++, value);

    public void Bytes(byte[]? value)
    {
        if (value is null) statement.BindNull(_next++);
        else statement.Bind(_next++, value.AsSpan());
    }

    public void Execute()
    {
        if (_next != statement.Parameters)
            throw new InvalidOperationException($"a row bound {_next} values for a statement of {statement.Parameters}");
        statement.Execute();
    }
}
