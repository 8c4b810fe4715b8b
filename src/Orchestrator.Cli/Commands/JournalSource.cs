using System.CommandLine;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Storage;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// Where the history commands read: the server (<c>--server</c>, or the one holding <c>--data</c>), else the journal
/// itself while no server runs — SQLite under <c>--data</c>, or PostgreSQL (<c>--postgres</c>, keys still in
/// <c>--data</c>) — opened by an actor system that holds only the journal, under the data directory's one-process lock.
/// </summary>
internal sealed class JournalSource
{
    public readonly ClientOptions Client = new();
    public readonly Option<string?> Postgres = new("--postgres") { Description = "Read the journal in PostgreSQL (a connection string) while no server runs; its keys are in --data" };
    public readonly Option<string?> Schema = new("--postgres-schema") { Description = "The PostgreSQL schema of the journal" };

    public void AddTo(Command command)
    {
        Client.AddTo(command);
        command.Options.Add(Postgres);
        command.Options.Add(Schema);
    }

    /// <summary>Runs <paramref name="viaServer"/> when a server holds the data, else <paramref name="direct"/> on the journal itself.</summary>
    public async Task<int> RunAsync(ParseResult result, Func<ServerClient, Task<int>> viaServer, Func<ActorSystem, Task<int>> direct, CancellationToken ct)
    {
        if (result.GetValue(Postgres) is null)
        {
            var server = Client.ServerFor(result, out var heldWithoutServer);
            if (server is not null || heldWithoutServer) return await Client.RunAsync(result, viaServer);
        }
        var data = Client.DataDirectory(result);
        if (result.GetValue(Postgres) is null && !File.Exists(PersistenceOptions.Sqlite(data).DatabasePath))
        {
            Console.Error.WriteLine($"orchestrator: no server holds {data} and it holds no journal; name a server with --server URL, or the journal with --data DIR or --postgres");
            return ExitCodes.Failure;
        }
        DataDirectoryLock dataLock;
        try { dataLock = DataDirectoryLock.Acquire(DataDirectory.Ensure(data)); }
        catch (StartupRefusedException e)
        {
            Console.Error.WriteLine($"orchestrator: {e.Message}");
            return ExitCodes.Failure;
        }
        using (dataLock)
        {
            PersistenceOptions persistence = result.GetValue(Postgres) is { } connection
                ? PersistenceOptions.Postgres(connection, result.GetValue(Schema), data)
                : PersistenceOptions.Sqlite(data);
            using var host = CommandActorHost.Build(persistence);
            try { await host.StartAsync(ct).ConfigureAwait(false); }
            catch (Exception e) when (e is StartupRefusedException or AggregateException)
            {
                Console.Error.WriteLine($"orchestrator: the journal cannot be opened: {e.GetBaseException().Message}");
                return ExitCodes.Failure;
            }
            try
            {
                var system = host.Services.GetRequiredService<ActorSystem>();
                await HistoryModelCaughtUpAsync(system, ct).ConfigureAwait(false);
                return await direct(system).ConfigureAwait(false);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// This process holds the journal, so its own follower keeps the history read model: the model catches up with the
    /// journal before the command reads it (a model built again after an upgrade may take a while; progress on stderr).
    /// </summary>
    private static async Task HistoryModelCaughtUpAsync(ActorSystem system, CancellationToken ct)
    {
        var directory = CallDirectory.Get(system);
        try { await directory.Ready.WaitAsync(ct).ConfigureAwait(false); }
        catch (Exception e) when (e is not OperationCanceledException) { return; } // the command's own read reports it
        var end = await directory.History.JournalEndAsync(ct).ConfigureAwait(false);
        var started = directory.History.Position;
        while (!await directory.History.CaughtUpAsync(end, TimeSpan.FromSeconds(5), ct).ConfigureAwait(false))
        {
            if (directory.History.Completion.IsCompleted || directory.History.Position <= started) return;
            started = directory.History.Position;
            Console.Error.WriteLine($"orchestrator: the history read model is catching up with the journal (position {started:N0} of {end:N0})");
        }
    }
}
