using Akka.Actor;
using Akka.Event;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Storage;

namespace Orchestrator.Actors.Approvals;

/// <summary>
/// <c>always-rules</c>: the one writer of every workspace's <c>.orchestrator/settings.local.json</c> on behalf of
/// always grants. Messages are handled one at a time, so concurrent answers never lose each other's rules: each edit
/// reads the file as it is now, adds (or, for a revoked grant, removes) one allow rule, keeps every other key, and
/// writes the whole file to a temporary file beside it that is renamed over it (<see cref="PrivateFile"/>), so a
/// reader sees the old or the new file, never a part. The grant (recorded in the journal before it is told here)
/// covers its calls whether or not the file could be written; the broker tells every live always grant again at each
/// start, so a crash between the grant and the write is repaired (an edit that changes nothing writes nothing). A
/// file that is not valid settings JSON, or a <c>.orchestrator</c> or settings file that is a symbolic link, is never
/// written: the reason is logged and answered. The agent cannot write this file itself: <c>.orchestrator</c> is a
/// protected path, read-only to every judged call and sandboxed command (DESIGN §3); the write is made known to the
/// sandbox's workspace indexes, so a command running meanwhile is not blamed for it (and its result not quarantined).
/// </summary>
public sealed class AlwaysRuleWriter : ReceiveActor
{
    public const string Name = "always-rules";

    private readonly string _defaultWorkspace;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public AlwaysRuleWriter(string defaultWorkspace)
    {
        _defaultWorkspace = defaultWorkspace;
        Receive<WriteAlwaysRule>(msg => Sender.Tell(Write(msg.Grant, msg.Workspace, msg.RuleText, add: true)));
        Receive<RemoveAlwaysRule>(msg => Sender.Tell(Write(msg.Grant, msg.Workspace, msg.RuleText, add: false)));
    }

    /// <param name="defaultWorkspace">The workspace of grants recorded without one (the server's one workspace).</param>
    public static Props Props(string defaultWorkspace) => Akka.Actor.Props.Create(() => new AlwaysRuleWriter(defaultWorkspace));

    private AlwaysRuleWritten Write(GrantId grant, string? workspace, string rule, bool add)
    {
        var path = LocalSettingsRules.PathIn(workspace ?? _defaultWorkspace);
        string? error;
        var changed = false;
        try
        {
            error = LinkRefusal(path);
            if (error is null)
            {
                var existing = File.Exists(path) ? File.ReadAllText(path) : null;
                var edit = add ? LocalSettingsRules.Add(existing, rule) : LocalSettingsRules.Remove(existing, rule);
                error = edit.Error;
                if (edit.Text is { } text)
                {
                    // A command running in the workspace meanwhile must not be taken for the author of .orchestrator.
                    if (OperatingSystem.IsLinux()) Sandbox.Linux.Workspace.WorkspaceIndexes.Shared.WriteAsServer(() => PrivateFile.Write(path, text));
                    else PrivateFile.Write(path, text);
                    changed = true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.Message;
        }
        if (error is not null)
            _log.Error("always grant {0}: {1} rule {2} {3} {4} failed: {5}; the grant still covers its calls", grant,
                add ? "adding" : "removing", rule, add ? "to" : "from", path, error);
        return new AlwaysRuleWritten(grant, path, changed, error);
    }

    private static string? LinkRefusal(string path)
    {
        foreach (var candidate in new[] { Path.GetDirectoryName(path)!, path })
            if (new FileInfo(candidate).LinkTarget is not null)
                return $"{candidate} is a symbolic link; the server writes only a real file there";
        return null;
    }
}

/// <summary>Adds the allow rule of an always grant to its workspace's project-local layer; answered with <see cref="AlwaysRuleWritten"/>.</summary>
/// <param name="Workspace">The grant's workspace; null: the server's one workspace.</param>
public sealed record WriteAlwaysRule(GrantId Grant, string? Workspace, string RuleText)
{
    public static WriteAlwaysRule Of(Grant grant) => new(grant.Id, grant.Workspace, grant.RuleText);
}

/// <summary>Takes a revoked always grant's rule out of its workspace's project-local layer; answered with <see cref="AlwaysRuleWritten"/>.</summary>
public sealed record RemoveAlwaysRule(GrantId Grant, string? Workspace, string RuleText);

/// <param name="Changed">Whether the file was rewritten (false: the rule was already there, or already gone).</param>
/// <param name="Error">Why the file was left as it was; null when it is as the grant needs.</param>
public sealed record AlwaysRuleWritten(GrantId Grant, string Path, bool Changed, string? Error);
