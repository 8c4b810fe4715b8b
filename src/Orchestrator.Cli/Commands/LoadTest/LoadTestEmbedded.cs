using Microsoft.AspNetCore.Builder;
using Orchestrator.Actors.Hosting;
using Orchestrator.Core.Policy;
using Orchestrator.Load;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands.LoadTest;

/// <summary>
/// <c>loadtest --embedded</c>: the whole server (<see cref="OrchestratorServer"/>, the same pipeline and HTTP front as
/// <c>orchestrator serve</c>) in this process on a temporary data directory and a free loopback port, judging by the
/// benchmarks' policy (<see cref="BenchPolicy"/>), with K workspaces made for the run (served as roots when K &gt; 1).
/// Approvals are left to the run's approver. Everything is deleted afterwards.
/// </summary>
internal sealed class LoadTestEmbedded : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoadTestEmbedded(WebApplication app, string root, string data, IReadOnlyList<string> workspaces)
    {
        _app = app;
        Root = root;
        Data = data;
        Workspaces = workspaces;
    }

    public string Root { get; }
    public string Data { get; }
    public IReadOnlyList<string> Workspaces { get; }
    public Uri Url => OrchestratorServer.BoundUri(_app);
    public string Credential => Core.Access.ServerSecret.Read(Data) ?? throw new InvalidOperationException($"no server secret in {Data}");
    public string JournalDatabase => PersistenceOptions.Sqlite(Data).DatabasePath;

    public static async Task<LoadTestEmbedded> StartAsync(int workspaceCount, CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("orchestrator-loadtest-").FullName;
        try
        {
            var policyFile = Path.Combine(root, "bench-policy.json");
            await File.WriteAllTextAsync(policyFile, BenchPolicy.Json(), ct);
            var workspaceRoot = Directory.CreateDirectory(Path.Combine(root, "workspaces")).FullName;
            var workspaces = Enumerable.Range(0, workspaceCount)
                .Select(i => LoadWorkspace.Create(workspaceCount == 1 ? Path.Combine(root, "workspace") : Path.Combine(workspaceRoot, $"ws-{i}"))).ToList();
            var data = Path.Combine(root, "data");
            var policy = new PolicyLoadOptions(workspaces[0]) { SettingsFiles = [policyFile], UserSettingsPath = null, ManagedSettingsPath = null };
            var app = OrchestratorServer.BuildApp(new ServerOptions(policy)
            {
                Roots = workspaceCount == 1 ? [] : [workspaceRoot],
                Port = 0,
                DataDirectory = data,
            });
            await app.StartAsync(ct);
            return new LoadTestEmbedded(app, root, data, workspaces);
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    /// <summary>Stops the server (its journal complete and closed), keeping the data directory to be read.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TryDelete(Root);
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
