using System.Collections.Immutable;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy.Sources;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Core.History.Replay;

/// <summary>
/// The policy a what-if replay judges with, given a call's recorded policy: the candidate files added as the
/// command-line layer (<c>--settings</c>) on top of the recorded layers, or with <see cref="Replace"/> instead of every
/// recorded layer and rule (the recorded mode flags stay). The candidate files are read once, by the caller; the
/// recorded layers come from their <see cref="PolicyLoaded"/> alone. No candidate: the recorded policy itself.
/// </summary>
public sealed record ReplayPolicy(ImmutableArray<PolicyFileObservation> Candidate, bool Replace)
{
    public static readonly ReplayPolicy Recorded = new([], false);

    public bool IsRecorded => Candidate.IsDefaultOrEmpty;

    /// <summary>The policy that judges again the calls <paramref name="recorded"/> judged.</summary>
    public WorkspacePolicy For(PolicyLoaded recorded)
    {
        if (IsRecorded) return WorkspacePolicy.Rebuild(recorded);
        var settings = recorded.Settings;
        var paths = Candidate.Select(c => c.Path).ToImmutableArray();
        var observations = Candidate.AsEnumerable();
        if (Replace)
            settings = settings with
            {
                ManagedSettingsPath = null, UserSettingsPath = null, SettingsFiles = paths, RulesFiles = [],
                AllowRules = [], AskRules = [], DenyRules = [],
            };
        else
        {
            settings = settings with { SettingsFiles = settings.SettingsFiles.AddRange(paths) };
            observations = observations.Concat(recorded.Sources.Select(s => s.ToObservation()));
        }
        // The replaced layers' paths read as missing: only the candidate's files exist for the loader.
        return WorkspacePolicy.Load(settings.ToOptions(), recorded.LoadedAt, new RecordedPolicyFiles(observations));
    }
}
