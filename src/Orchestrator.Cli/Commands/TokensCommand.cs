using System.CommandLine;
using System.Globalization;
using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator tokens add|list|revoke --data DIR</c>: the bearer tokens of the server that uses DIR, managed on
/// the data directory itself (under the token file's lock, so a running server sees the change at once). <c>add</c>
/// prints the token once, as the last line of its output; only its SHA-256 is stored.
/// </summary>
internal static class TokensCommand
{
    public static Command Create()
    {
        var command = new Command("tokens", "Add, list and revoke the bearer tokens of a data directory");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command Add()
    {
        var command = new Command("add", "Issue a token; it is printed once, as the last line");
        var data = DataOption.Create();
        var role = new Option<string>("--role") { Description = "agent, operator or admin", Required = true };
        var name = new Option<string>("--name") { Description = "A unique name (letters, digits, '.', '_', '-'); who answers approvals is recorded by it", Required = true };
        var agent = new Option<string?>("--agent") { Description = "The agent id an agent token is bound to" };
        var subAgents = new Option<string[]>("--sub-agent")
        {
            Description = "Agent tokens: an agent whose sessions may name this agent's sessions as their parent (agent teams); repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        foreach (var option in new Option[] { data, role, name, agent, subAgents }) command.Options.Add(option);
        command.SetAction(result =>
        {
            if (Roles.Parse(result.GetValue(role)) is not { } parsedRole)
                return Fail($"--role must be agent, operator or admin, not '{result.GetValue(role)}'", ExitCodes.BadInput);
            var secret = TokenSecret.Generate();
            var record = new TokenRecord(result.GetValue(name)!, parsedRole, result.GetValue(agent) is { } a ? new AgentId(a) : null,
                TokenSecret.Hash(secret), DateTimeOffset.UtcNow)
            {
                SubAgents = [.. (result.GetValue(subAgents) ?? []).Select(a => new AgentId(a))],
            };
            var directory = Path.GetFullPath(result.GetValue(data)!);
            string? problem;
            try { problem = TokenStoreFile.Update(directory, book => book.Add(record)); }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { return Fail(e.Message); }
            if (problem is not null) return Fail(problem, ExitCodes.BadInput);
            Console.WriteLine($"added {Describe(record)} to {TokenStoreFile.PathIn(directory)}; it is shown only now — keep it secret:");
            Console.WriteLine(secret);
            return ExitCodes.Allow;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "The issued tokens (names, roles, agents; never the secrets)");
        var data = DataOption.Create();
        command.Options.Add(data);
        command.SetAction(result =>
        {
            TokenBook book;
            try { book = TokenStoreFile.Load(result.GetValue(data)!); }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { return Fail(e.Message); }
            if (book.IsEmpty) Console.WriteLine("no tokens (the server runs for one local user, without authentication)");
            foreach (var record in book.Records)
                Console.WriteLine($"{Describe(record)}, added {record.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}");
            return ExitCodes.Allow;
        });
        return command;
    }

    private static Command Revoke()
    {
        var command = new Command("revoke", "Revoke a token by name (a running server refuses it from its next request)");
        var data = DataOption.Create();
        var name = new Argument<string>("name") { Description = "The token's name" };
        command.Arguments.Add(name);
        command.Options.Add(data);
        command.SetAction(result =>
        {
            TokenRecord? revoked;
            try { revoked = TokenStoreFile.Update(result.GetValue(data)!, book => book.Revoke(result.GetValue(name)!)); }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { return Fail(e.Message); }
            if (revoked is null) return Fail($"no token named {result.GetValue(name)}");
            Console.WriteLine($"revoked {Describe(revoked)}");
            return ExitCodes.Allow;
        });
        return command;
    }

    private static string Describe(TokenRecord r) =>
        $"{r.Name} ({r.Role.Name()}{(r.Agent is { } agent ? $" of agent {agent}" : "")}" +
        $"{(r.SubAgents.IsDefaultOrEmpty ? "" : $", sub-agents {string.Join(", ", r.SubAgents)}")})";

    private static int Fail(string message, int code = ExitCodes.Failure)
    {
        Console.Error.WriteLine($"orchestrator: {message}");
        return code;
    }
}
