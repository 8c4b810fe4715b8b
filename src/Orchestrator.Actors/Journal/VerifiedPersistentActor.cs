using Akka.Event;
using Akka.Persistence;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The base of every persistent actor on the sealed journal. Its replay is verified by <see cref="IntegrityJournal"/>;
/// when verification fails the actor stops before handling anything (it fails closed: nothing it holds is answered or
/// run) and the reason is logged as the one line naming the journal and the sequence number, without a stack trace;
/// the persistence id is recorded as closed (<see cref="JournalIntegrity.ClosedLine"/>) and
/// <see cref="PersistenceIdClosed"/> is published, so its parents answer for it at once.
/// </summary>
public abstract class VerifiedPersistentActor : ReceivePersistentActor
{
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        if (reason is not JournalIntegrityException integrity)
        {
            base.OnRecoveryFailure(reason, message);
            return;
        }
        Context.GetLogger().Error(integrity.Message);
        JournalIntegrity.Get(Context.System).Close(PersistenceId, integrity.Message);
        Context.System.EventStream.Publish(new PersistenceIdClosed(PersistenceId, integrity.Message));
    }
}
