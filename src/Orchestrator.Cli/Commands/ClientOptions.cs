using System.CommandLine;
using Orchestrator.Core.Access;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// The options of every command that talks to a running server: <c>--server</c>, <c>--token</c> (default
/// <c>$ORCHESTRATOR_TOKEN</c>) and <c>--data</c>. Without a token the CLI sends the server secret from the data
/// directory — the local user of a server that has no tokens.
/// </summary>
internal sealed class ClientOptions
{
    public const string TokenVariable = "ORCHESTRATOR_TOKEN";

    public readonly Option<string> Server = ServerClient.ServerOption();
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

    public Task<int> RunAsync(ParseResult result, Func<ServerClient, Task<int>> work) =>
        ServerClient.RunAsync(result.GetValue(Server)!, Credential(result), work);
}
