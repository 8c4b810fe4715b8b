using System.CommandLine;
using Orchestrator.Actors.Storage;
using Orchestrator.Core.Access;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// The options of every command that talks to a running server: <c>--server</c>, <c>--token</c> (default
/// <c>$ORCHESTRATOR_TOKEN</c>) and <c>--data</c>. The server is <c>--server</c> when given, else the one that holds
/// the data directory (it announces its address in <c>DATA/server.json</c>). Without a token the CLI sends the server
/// secret from the data directory — the local user of a server that has no tokens.
/// </summary>
internal sealed class ClientOptions
{
    public const string TokenVariable = "ORCHESTRATOR_TOKEN";

    public readonly Option<string?> Server = new("--server") { Description = "The server's URL (default: the server holding --data, from its server.json)" };
    public readonly Option<string?> Token = new("--token") { Description = $"Bearer token (default ${TokenVariable}; without one, the server secret in --data, for a server without tokens)" };
    public readonly Option<string> Data = DataOption.Create();

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(Data);
    }

    public string? Credential(ParseResult result) =>
        result.GetValue(Token) is { Length: > 0 } token ? token
        : Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : ServerSecret.Read(result.GetValue(Data)!);

    public string DataDirectory(ParseResult result) => Path.GetFullPath(result.GetValue(Data)!);

    /// <summary>The server to talk to: <c>--server</c> when given, else the one holding the data directory, else null.</summary>
    public string? ServerFor(ParseResult result) => ServerFor(result, out _);

    /// <summary>
    /// As <see cref="ServerFor(ParseResult)"/>; <paramref name="heldWithoutServer"/> says that a process serving nothing
    /// (an in-process <c>orchestrator run</c>) holds the data directory.
    /// </summary>
    public string? ServerFor(ParseResult result, out bool heldWithoutServer)
    {
        heldWithoutServer = false;
        if (result.GetValue(Server) is { } given) return given;
        var (held, announced) = DataDirectoryLock.Probe(DataDirectory(result));
        heldWithoutServer = held && announced is null;
        return held ? announced?.Url : null;
    }

    /// <summary>
    /// Runs <paramref name="work"/> against <see cref="ServerFor(ParseResult)"/>; when no server holds the data
    /// directory, one clear line naming it and how to start or name one, exit 1.
    /// </summary>
    public Task<int> RunAsync(ParseResult result, Func<ServerClient, Task<int>> work)
    {
        if (ServerFor(result, out var heldWithoutServer) is { } server) return ServerClient.RunAsync(server, Credential(result), work);
        var data = DataDirectory(result);
        Console.Error.WriteLine(heldWithoutServer
            ? $"orchestrator: the data directory {data} is held by an 'orchestrator run' that serves nothing; try again when it ends, or name a server with --server URL"
            : $"orchestrator: no server holds the data directory {data}; start one with 'orchestrator serve --data {data}', or name one with --server URL");
        return Task.FromResult(ExitCodes.Failure);
    }
}
