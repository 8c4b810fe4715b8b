using Akka.Configuration;
using Orchestrator.Actors.Hosting;

namespace Orchestrator.Actors.Tests;

public sealed class PersistenceConfigSpecs
{
    private static string Hocon => HoconDirectory.Locate();

    [Fact]
    public void Connection_string_with_quotes_backslashes_and_hocon_syntax_survives_injection_unchanged()
    {
        const string nasty = "Host=127.0.0.1;Password=p\"a\\ss ${x} #no-comment // {a=b};Database=d";
        var options = PersistenceOptions.Postgres(nasty);

        var config = PersistenceConfig.Build(options, Hocon, nasty);

        Assert.Equal(nasty, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(nasty, config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal(nasty, config.GetString("akka.persistence.query.journal.sql.connection-string"));
    }

    [Fact]
    public void Sqlite_configuration_uses_csv_tags_one_writer_and_a_deliberate_breaker_timeout()
    {
        var config = PersistenceConfig.Build(PersistenceOptions.Sqlite("/tmp/unused"), Hocon, "Data Source=/tmp/unused/x.db");

        AssertCommonPersistence(config, "SQLite.MS");
        Assert.Equal(1, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal(1, config.GetInt("akka.persistence.query.journal.sql.parallelism"));
    }

    [Fact]
    public void Postgres_configuration_uses_csv_tags_and_puts_every_table_in_the_chosen_schema()
    {
        var config = PersistenceConfig.Build(PersistenceOptions.Postgres("Host=h", "history"), Hocon, "Host=h");

        AssertCommonPersistence(config, "PostgreSQL.15");
        Assert.Equal("history", config.GetString("akka.persistence.journal.sql.default.schema-name"));
        Assert.Equal("history", config.GetString("akka.persistence.snapshot-store.sql.default.schema-name"));
        Assert.Equal("history", config.GetString("akka.persistence.query.journal.sql.default.schema-name"));
    }

    [Theory]
    [InlineData("History")]
    [InlineData("a-b")]
    [InlineData("x\"; DROP")]
    public void A_schema_that_is_not_a_plain_lower_case_identifier_is_refused(string schema)
    {
        Assert.Throws<ArgumentException>(() => PersistenceOptions.Postgres("Host=h", schema));
    }

    [Fact]
    public void An_explicit_hocon_directory_without_the_files_is_refused_with_its_path()
    {
        var empty = Directory.CreateTempSubdirectory("orchestrator-hocon-").FullName;
        try
        {
            var error = Assert.Throws<DirectoryNotFoundException>(() => HoconDirectory.Locate(empty));
            Assert.Contains(empty, error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void The_hocon_files_are_found_next_to_the_executable()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "hocon"), HoconDirectory.Locate());
    }

    private static void AssertCommonPersistence(Config config, string provider)
    {
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal("Orchestrator.Actors.Journal.IntegrityJournal, Orchestrator.Actors", config.GetString("akka.persistence.journal.sql.class"));
        Assert.Equal("Orchestrator.Actors.Journal.IntegritySnapshotStore, Orchestrator.Actors", config.GetString("akka.persistence.snapshot-store.sql.class"));
        Assert.Equal("Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql", config.GetString("akka.persistence.query.journal.sql.class"));
        foreach (var plugin in new[] { "journal.sql", "snapshot-store.sql", "query.journal.sql" })
            Assert.Equal(provider, config.GetString($"akka.persistence.{plugin}.provider-name"));
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
        Assert.Equal("Csv", config.GetString("akka.persistence.journal.sql.tag-write-mode"));
        Assert.Equal("Csv", config.GetString("akka.persistence.query.journal.sql.tag-read-mode"));
        Assert.Equal(TimeSpan.FromSeconds(30), config.GetTimeSpan("akka.persistence.journal.sql.circuit-breaker.call-timeout"));
        Assert.Equal(16, config.GetInt("akka.persistence.max-concurrent-recoveries"));
    }
}
