using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Actors.Hosting;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// The actor system a command hosts in its own process on a data directory no server holds: Akka's own output off,
/// its errors on standard error (standard output belongs to the command), the journal of <paramref name="persistence"/>.
/// </summary>
internal static class CommandActorHost
{
    public static IHost Build(PersistenceOptions persistence, Func<AkkaConfigurationBuilder, AkkaConfigurationBuilder>? more = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.Services.AddAkka("orchestrator", b =>
        {
            b.AddHocon("akka.stdout-loglevel = OFF\nakka.loglevel = ERROR", HoconAddMode.Prepend)
                .ConfigureLoggers(l =>
                {
                    l.ClearLoggers();
                    l.AddLogger<StandardErrorLogger>();
                })
                .WithOrchestratorPersistence(persistence);
            more?.Invoke(b);
        });
        return builder.Build();
    }
}
