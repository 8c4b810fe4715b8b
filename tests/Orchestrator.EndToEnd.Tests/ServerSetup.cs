using Npgsql;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A project, a home, a settings file and a journal (SQLite under a data directory, or a private PostgreSQL schema)
/// that survive server restarts within one test. PostgreSQL comes from <c>ORCHESTRATOR_TEST_POSTGRES</c> (started by
/// ops/postgres.sh); without it those tests fail, loudly.
/// </summary>
public sealed class ServerSetup : IDisposable
{
    public const string PostgresVariable = "ORCHESTRATOR_TEST_POSTGRES";

    private readonly string? _postgres;
    private readonly string _schema = $"e2e_{Guid.NewGuid():N}";

    public ServerSetup(Backend backend)
    {
        Backend = backend;
        Root = Directory.CreateTempSubdirectory("orchestrator-e2e-").FullName;
        Project = Directory.CreateDirectory(Path.Combine(Root, "project")).FullName;
        Home = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        Data = Path.Combine(Root, "data");
        SettingsFile = Path.Combine(Root, "settings.json");
        // on-request: the side-effect files the tests write by redirection run in the sandbox unasked; printf asks.
        WriteSettings("""{ "permissions": { "deny": ["Bash(curl:*)"], "ask": ["Bash(printf:*)"] }, "orchestrator": { "approvalPolicy": "on-request" } }""");
        if (backend == Backend.Postgres)
        {
            _postgres = System.Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(_postgres))
                throw new InvalidOperationException($"POSTGRESQL TESTS NEED A DATABASE: {PostgresVariable} is not set. Run  eval \"$(ops/postgres.sh)\"  first.");
        }
    }

    public Backend Backend { get; }
    public string Root { get; }
    public string Project { get; }
    public string Home { get; }
    public string Data { get; set; }
    public string SettingsFile { get; }
    public double ApprovalTimeoutSeconds { get; set; } = 600;

    /// <summary><c>--approver</c> (e.g. auto-approve), or null for none.</summary>
    public string? Approver { get; set; }

    /// <summary>Run the server as nobody (setpriv); the setup's directories are opened to everyone.</summary>
    public bool RunAsNobody { get; set; }

    /// <summary>Variables set for the server on top of its environment (e.g. ORCHESTRATOR_NO_BWRAP).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Further <c>serve</c> options (e.g. <c>--max-runs 16</c>).</summary>
    public List<string> ExtraArguments { get; } = [];

    public const string Admin = "e2e-admin", Operator = "e2e-operator", SecondOperator = "e2e-operator-2", Agent = "alice";

    /// <summary>Issue tokens (admin, two operators, agent <c>alice</c>) before the server starts; false: the local single-user mode.</summary>
    public bool UseTokens { get; set; } = true;

    /// <summary>Further agents, each issued its own agent token (named as the agent) with the others.</summary>
    public List<string> MoreAgents { get; } = [];

    /// <summary>The secret of each issued token, by name (empty until the server first starts with <see cref="UseTokens"/>).</summary>
    public Dictionary<string, string> Tokens { get; } = [];

    /// <summary>Writes the tokens into <see cref="Data"/> (once per data directory), as <c>orchestrator tokens add</c> would.</summary>
    public void IssueTokens()
    {
        if (!UseTokens || Core.Access.TokenStoreFile.Load(Data).Records.Any(r => r.Name == Admin)) return;
        foreach (var (name, role, agent) in new[] { (Admin, Core.Access.Role.Admin, (string?)null), (Operator, Core.Access.Role.Operator, null),
                     (SecondOperator, Core.Access.Role.Operator, null), (Agent, Core.Access.Role.Agent, "alice") }
                     .Concat(MoreAgents.Select(a => (a, Core.Access.Role.Agent, (string?)a))))
        {
            var secret = Core.Access.TokenSecret.Generate();
            var error = Core.Access.TokenStoreFile.Update(Data, book => book.Add(new Core.Access.TokenRecord(name, role,
                agent is null ? null : new Core.Calls.AgentId(agent), Core.Access.TokenSecret.Hash(secret), DateTimeOffset.UtcNow)));
            if (error is not null) throw new InvalidOperationException(error);
            Tokens[name] = secret;
        }
    }

    /// <summary>The credential the test's own client sends: the admin token, or the local user's server secret.</summary>
    public string? ClientCredential() => UseTokens ? Tokens[Admin] : Core.Access.ServerSecret.Read(Data);

    /// <summary>The environment a CLI client process runs with here: this setup's home, no managed settings.</summary>
    public Dictionary<string, string> CliEnvironment() => new()
    {
        ["HOME"] = Home,
        ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
        ["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share"),
        ["ORCHESTRATOR_MANAGED_SETTINGS"] = "",
    };

    /// <summary>Runs the CLI in the project directory with <see cref="CliEnvironment"/>.</summary>
    public CliProcess.Result Cli(params string[] args) => CliProcess.RunIn(Project, CliEnvironment(), args);

    public void WriteSettings(string json) => File.WriteAllText(SettingsFile, json);

    public IEnumerable<string> Arguments()
    {
        string[] args =
        [
            "serve", "--port", "0", "--data", Data, "--project", Project, "--settings", SettingsFile,
            "--approval-timeout", ApprovalTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        if (Approver is not null) args = [.. args, "--approver", Approver];
        args = [.. args, .. ExtraArguments];
        return _postgres is null ? args : [.. args, "--postgres", _postgres, "--postgres-schema", _schema];
    }

    public void Dispose()
    {
        if (_postgres is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(_postgres);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE";
            command.ExecuteNonQuery();
        }
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public enum Backend
{
    Sqlite,
    Postgres,
}
