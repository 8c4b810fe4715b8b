using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.Streams;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// The Akka logger of a pipeline hosted by a CLI command: an error is one line on stderr, never on stdout, where the
/// command's own output goes (Akka's default logger writes to stdout). A stage cut short because the pipeline is
/// stopping (the command is done) is not an error worth a line.
/// </summary>
internal sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<Error>(e =>
        {
            if (!Stopping(e.Cause)) Console.Error.WriteLine($"orchestrator: {e.LogSource}: {e.Message}{(e.Cause is null ? "" : $": {e.Cause.GetBaseException().Message}")}");
        });
        Receive<LogEvent>(_ => { });
    }

    private static bool Stopping(Exception? cause) => cause switch
    {
        null => false,
        AbruptStageTerminationException or AbruptTerminationException => true,
        _ => Stopping(cause.InnerException),
    };
}
