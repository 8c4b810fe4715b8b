using System.Data.Common;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>Every row a query returns, as its column values (null for SQL NULL), for either backend's connection.</summary>
public static class QueryRows
{
    public static IReadOnlyList<object?[]> Read(DbConnection connection, string sql)
    {
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(values);
        }
        return rows;
    }
}
