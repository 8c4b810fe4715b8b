using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Access;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Server.Tests;

/// <summary>The real app on a free loopback port with a temp journal.</summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _root;
    private readonly ServerOptions _options;
    private readonly bool _localMode;

    private ServerHost(WebApplication app, string root, ServerOptions options, bool localMode, HttpClient client, IReadOnlyDictionary<string, string> tokens)
    {
        _app = app;
        _root = root;
        _options = options;
        _localMode = localMode;
        Client = client;
        Tokens = tokens;
    }

    /// <summary>A client of the local user (the server secret) or, with tokens, of the first admin token.</summary>
    public HttpClient Client { get; }

    /// <summary>The secret of each token issued before start, by name.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; }

    public Uri Address => Client.BaseAddress!;

    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>A fresh client sending <paramref name="token"/> (none: no Authorization header).</summary>
    public HttpClient ClientWith(string? token)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
    public Ingress Ingress => _app.Services.GetRequiredService<Ingress>();
    public IServiceProvider Services => _app.Services;
    public string Project => Path.Combine(_root, "project");

    /// <param name="tokens">Tokens to issue before start (name, role, agent); none: the local single-user mode.</param>
    public static async Task<ServerHost> StartAsync(Func<ServerOptions, ServerOptions>? configure = null,
        IEnumerable<(string Name, Role Role, string? Agent)>? tokens = null)
    {
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "orchestrator-server-specs", Guid.NewGuid().ToString("n"))).FullName;
        var project = Directory.CreateDirectory(Path.Combine(root, "project")).FullName;
        var options = new ServerOptions(new PolicyLoadOptions(project)
        {
            HomeDirectory = root,
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            DenyRules = ["Bash(curl:*)"],
        })
        {
            Port = 0,
            DataDirectory = Path.Combine(root, "data"),
            Approver = AutomaticApprover.AutoDeny,
        };
        if (configure is not null) options = configure(options);
        var issued = new Dictionary<string, string>();
        foreach (var (name, role, agent) in tokens ?? [])
        {
            var secret = TokenSecret.Generate();
            Assert.Null(TokenStoreFile.Update(options.DataDirectory, book =>
                book.Add(new TokenRecord(name, role, agent is null ? null : new AgentId(agent), TokenSecret.Hash(secret), DateTimeOffset.UtcNow))));
            issued[name] = secret;
        }
        return await RunAsync(root, options, tokens is null, issued);
    }

    /// <summary>
    /// Stops this server (its directory kept) and starts another on the same data, with the same options as changed by
    /// <paramref name="change"/>: what a restart keeps is what the journal kept. Dispose the returned host, not this one.
    /// </summary>
    public async Task<ServerHost> RestartAsync(Func<ServerOptions, ServerOptions>? change = null)
    {
        await StopAsync();
        return await RunAsync(_root, change is null ? _options : change(_options), _localMode, Tokens);
    }

    private static async Task<ServerHost> RunAsync(string root, ServerOptions options, bool localMode, IReadOnlyDictionary<string, string> issued)
    {
        var app = OrchestratorServer.BuildApp(options);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = OrchestratorServer.BoundUri(app), Timeout = TimeSpan.FromSeconds(60) };
        var credential = localMode ? ServerSecret.Read(options.DataDirectory)
            : TokenStoreFile.Load(options.DataDirectory).Records.FirstOrDefault(r => r.Role == Role.Admin) is { } admin ? issued[admin.Name] : null;
        if (credential is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await client.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("server never became ready");
            await Task.Delay(20);
        }
        return new ServerHost(app, root, options, localMode, client, issued);
    }

    public object Bash(string command, string agent = "agent-1", string session = "s1", string? id = null,
        string intent = "decide-only", double? wait = null) => new
    {
        id, agentId = agent, sessionId = session, tool = "Bash", input = new Dictionary<string, string> { ["command"] = command },
        cwd = Project, intent, wait,
    };

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());

    private async Task StopAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
