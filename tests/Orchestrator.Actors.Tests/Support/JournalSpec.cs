using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Tests.Events;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>
/// A spec whose hosted system IS the TestKit system (Akka.Hosting.TestKit), running Orchestrator's persistence on a
/// store private to the spec (its serializer also knows this assembly's test events). The store is disposed once the
/// system has terminated.
/// </summary>
public abstract class JournalSpec<TBackend>(TBackend backend, ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
    where TBackend : IJournalBackend
{
    /// <summary>A bound for failures only; generous because other builds may share the two cores.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected TBackend Backend { get; } = backend;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.WithOrchestratorPersistence(Backend.Options with { EventAssemblies = [typeof(TestThingHappened).Assembly] });

    /// <summary>
    /// Ends the TestKit system, as a server going down would, so that a second host can open the same store for the
    /// phase after a restart (the only reason a spec starts a second host).
    /// </summary>
    protected async Task StopTestKitSystemAsync()
    {
        await Sys.Terminate();
        SqliteConnection.ClearAllPools();
    }

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        await StopTestKitSystemAsync();
        Backend.Dispose();
    }
}
