using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Policies;

/// <summary>
/// <c>policy/record-&lt;digest&gt;</c> (persistence id <c>policy-&lt;digest of the workspace path&gt;</c>, on the sealed
/// journal): the <see cref="PolicyLoaded"/> history of one workspace. A stream per workspace keeps each replay to that
/// workspace's few loads and lets the history of one project be read alone. A snapshot whose version is already the
/// latest recorded one is not written again (restarts with unchanged files record nothing new).
/// </summary>
public sealed class PolicyRecorder : VerifiedPersistentActor
{
    public const string PersistenceIdPrefix = "policy-";

    private readonly string _persistenceId;
    private string? _latest;

    public PolicyRecorder(string workspace)
    {
        _persistenceId = PersistenceIdFor(workspace);
        Recover<PolicyLoaded>(loaded => _latest = loaded.Version);
        Command<RecordPolicy>(msg =>
        {
            if (msg.Loaded.Version == _latest)
            {
                Sender.Tell(new PolicyRecorded(msg.Loaded.Workspace, msg.Loaded.Version));
                return;
            }
            var replyTo = Sender;
            Persist(msg.Loaded, loaded =>
            {
                _latest = loaded.Version;
                replyTo.Tell(new PolicyRecorded(loaded.Workspace, loaded.Version));
            });
        });
    }

    public override string PersistenceId => _persistenceId;

    public static string PersistenceIdFor(string workspace) =>
        PersistenceIdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workspace)))[..32];

    public static Props Props(string workspace) => Akka.Actor.Props.Create(() => new PolicyRecorder(workspace));
}
