using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A project served by a real <c>orchestrator serve</c> (SQLite, local single-user mode) under a given settings file,
/// and the one way its tests submit a structured tool call: POST /v1/calls with intent execute, waiting for the answer.
/// </summary>
public abstract class ToolCallEndToEnd : IDisposable
{
    protected ToolCallEndToEnd(string settingsJson)
    {
        Setup = new ServerSetup(Backend.Sqlite) { UseTokens = false };
        Setup.WriteSettings(settingsJson);
    }

    protected ServerSetup Setup { get; }

    protected string InProject(string relative) => Path.Combine(Setup.Project, relative);

    protected Task<(int Status, JsonElement Body)> Submit(ServerProcess server, string id, string tool, object input, string session = "tools") =>
        server.PostAsync("/v1/calls", new { id, agentId = "alice", sessionId = session, tool, input, cwd = Setup.Project, intent = "execute", wait = 30 });

    public void Dispose()
    {
        Setup.Dispose();
        GC.SuppressFinalize(this);
    }
}
