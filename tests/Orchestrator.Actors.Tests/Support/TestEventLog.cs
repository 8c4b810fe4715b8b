using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>A minimal persistent actor: stores what it is told to and tells what it holds.</summary>
public sealed class TestEventLog : Orchestrator.Actors.Journal.VerifiedPersistentActor
{
    private readonly List<object> _events = [];
    private IActorRef? _snapshotRequester;

    public TestEventLog(string persistenceId)
    {
        PersistenceId = persistenceId;

        Recover<RecoveryCompleted>(_ => { });
        Recover<SnapshotOffer>(_ => { });
        Recover<object>(e => _events.Add(e));

        Command<Append>(command =>
        {
            object stored = command.Tags.IsDefaultOrEmpty ? command.Event : new Tagged(command.Event, command.Tags);
            Persist(stored, _ =>
            {
                _events.Add(command.Event);
                Sender.Tell(new Appended(PersistenceId, LastSequenceNr));
            });
        });

        Command<AppendAll>(command =>
        {
            var replyTo = Sender;
            var left = command.Events.Length;
            PersistAll(command.Events, persisted =>
            {
                _events.Add(persisted);
                if (--left == 0) replyTo.Tell(new Appended(PersistenceId, LastSequenceNr));
            });
        });

        Command<AppendAsync>(command => PersistAsync(command.Event, persisted =>
        {
            _events.Add(persisted);
            Sender.Tell(new Appended(PersistenceId, LastSequenceNr));
        }));

        Command<SaveSnapshotOf>(command =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(command.Snapshot);
        });
        Command<SaveSnapshotSuccess>(saved => _snapshotRequester?.Tell(new SnapshotSaved(PersistenceId, saved.Metadata.SequenceNr)));
        Command<SaveSnapshotFailure>(failed => _snapshotRequester?.Tell(new Status.Failure(failed.Cause)));

        Command<GetEvents>(_ => Sender.Tell(new EventsSoFar(PersistenceId, [.. _events])));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new TestEventLog(persistenceId));
}
