using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Tests.Events;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>
/// A real Microsoft.Extensions host running the "orchestrator" actor system with Orchestrator's persistence: for the
/// phase after a restart of a <see cref="JournalSpec{TBackend}"/> (whose TestKit system wrote the journal) and for
/// specs about opening a journal, which run no TestKit system. Anything else runs on the TestKit system.
/// </summary>
public sealed class OrchestratorTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private OrchestratorTestHost(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
    }

    public ActorSystem System { get; }

    /// <summary>Starts a host whose serializer also knows this test assembly's events (<paramref name="hocon"/> overrides settings).</summary>
    public static async Task<OrchestratorTestHost> StartAsync(PersistenceOptions options, string? hocon = null)
    {
        var withTestEvents = options with { EventAssemblies = [typeof(TestThingHappened).Assembly] };
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("orchestrator", builder =>
            {
                if (hocon is not null) builder.AddHocon(hocon, HoconAddMode.Prepend);
                builder.WithOrchestratorPersistence(withTestEvents);
            }))
            .Build();
        await host.StartAsync();
        return new OrchestratorTestHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
