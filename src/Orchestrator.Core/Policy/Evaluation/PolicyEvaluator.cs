using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy.Rules;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Evaluates tool calls against one policy snapshot. A pure function of (call, snapshot, observed filesystem facts):
/// <see cref="Evaluate(ToolCall, bool)"/> first gathers the facts of every path the call names (<see cref="FactGatherer"/>),
/// then judges from them and returns them in the verdict; <see cref="Evaluate(ToolCall, bool, FileFacts)"/> judges
/// again from recorded facts alone, never the live disk. Safe to share between threads. Precedence: deny &gt; ask &gt; allow; deny rules apply in every mode; under the
/// approval policy <c>never</c> every ask becomes deny; a policy that failed to load denies whatever its managed rules
/// do not decide.
/// </summary>
public sealed class PolicyEvaluator
{
    private readonly PolicySnapshot _snapshot;
    private readonly RuleMatcher _rules;
    private readonly PathChecker _paths;
    private readonly PathAccessPolicy _access;
    private readonly BashEvaluator _bash;
    private readonly FactGatherer _gatherer;

    public PolicyEvaluator(PolicySnapshot snapshot, CommandClassifier? classifier = null)
    {
        _snapshot = snapshot;
        classifier ??= CommandClassifier.Default;
        _rules = new RuleMatcher(snapshot, classifier);
        var extraProtected = snapshot.ProtectedPaths.Select(p => p.Value).ToArray();
        _access = PathAccessPolicy.Create(
            snapshot.WritableRoots.Select(r => r.Value),
            snapshot.ProjectDirectory,
            snapshot.HomeDirectory,
            extraProtectedNames: extraProtected.Where(p => !p.Contains('/') && p != "~"),
            extraProtectedPaths: extraProtected.Where(p => p.Contains('/') || p == "~")
                .Concat(ProtectedNames.AbsoluteLocations(snapshot.HomeDirectory, snapshot.DataDirectories)));
        var readable = PathAccessPolicy.CanonicalizeRoots(snapshot.ReadableRoots.Select(r => r.Value), snapshot.ProjectDirectory, snapshot.HomeDirectory);
        _paths = new PathChecker(snapshot, _rules, _access, readable);
        _bash = new BashEvaluator(snapshot, _rules, _paths, classifier);
        _gatherer = new FactGatherer(_access, _bash);
    }

    public PolicySnapshot Snapshot => _snapshot;

    /// <param name="sandboxed">Whether Orchestrator itself will run the call in its sandbox. Decide-only callers
    /// (hooks, <c>POST /v1/check</c>) pass false: nothing then contains what the policy lets through.</param>
    /// <returns>The verdict with the filesystem facts it was judged on (<see cref="Verdict.Facts"/>).</returns>
    public Verdict Evaluate(ToolCall call, bool sandboxed = true)
    {
        var files = new RecordingFileView();
        return Judge(call, sandboxed, files, gather: true);
    }

    /// <summary>Judges a call again from the facts recorded with its verdict, without looking at the disk.</summary>
    /// <returns>The verdict, or undecidable when the judgement needs a fact the record does not hold.</returns>
    public Reevaluation Evaluate(ToolCall call, bool sandboxed, FileFacts recordedFacts)
    {
        try
        {
            return Reevaluation.Decided(Judge(call, sandboxed, new RecordedFileView(recordedFacts), gather: false));
        }
        catch (FactNotRecordedException e)
        {
            return Reevaluation.Undecidable(e.Message);
        }
    }

    /// <summary>Only the first step of <see cref="Evaluate(ToolCall, bool)"/>: the facts of every path the call names.</summary>
    public FileFacts Gather(ToolCall call)
    {
        if (InputProblem(call) is not null) return FileFacts.Empty;
        var files = new RecordingFileView();
        _gatherer.Gather(call, call.ToolName == ToolNames.Bash ? _bash.Read(call.InputValue(ToolInputKeys.Command)!, call.WorkingDirectory) : null, files);
        return files.Facts;
    }

    private Verdict Judge(ToolCall call, bool sandboxed, IFileView files, bool gather)
    {
        var findings = new FindingCollector();
        var mode = ModeFor(call, sandboxed, findings);

        if (InputProblem(call) is { } problem)
        {
            findings.Add(Decision.Deny, ReasonClass.InvalidInput, problem, call.ToolName);
            return Finish(findings, mode, files);
        }

        var cwd = call.WorkingDirectory;
        var commands = call.ToolName == ToolNames.Bash ? _bash.Read(call.InputValue(ToolInputKeys.Command)!, cwd) : null;
        if (gather)
        {
            _gatherer.Gather(call, commands, files);
            // What the judgement asks beyond this is still answered (and recorded) from the disk.
            (files as RecordingFileView)?.Seal();
        }
        switch (call.ToolName)
        {
            case ToolNames.Bash:
                _bash.Evaluate(findings, commands!, files, mode);
                break;
            case var t when ToolNames.IsFileEdit(t):
                _paths.CheckWrite(findings, files, t, FilePath(call)!, cwd, mode, decideWhenClean: true);
                break;
            case var t when ToolNames.IsFileRead(t):
                _paths.CheckRead(findings, files, t, ReadTarget(call), cwd, mode, decideWhenClean: true);
                break;
            case ToolNames.WebFetch:
                EvaluateFetch(findings, call, mode);
                break;
            default:
                EvaluateOther(findings, call);
                break;
        }
        return Finish(findings, mode, files);
    }

    private EffectiveMode ModeFor(ToolCall call, bool sandboxed, FindingCollector findings)
    {
        var policyMode = _snapshot.SandboxMode;
        var sandbox = policyMode;
        if (call.RequestedMode is { } requested)
        {
            if (requested <= policyMode) sandbox = requested;
            else if (requested == SandboxMode.DangerFullAccess && _snapshot.BypassPermissionsDisabled)
                findings.Add(Decision.Deny, ReasonClass.Escalation, "danger-full-access is disabled by the managed policy", call.ToolName);
            else
                findings.Add(Decision.Ask, ReasonClass.Escalation,
                    $"the call asks for {requested.Name()} but the policy grants {policyMode.Name()}", call.ToolName);
        }
        if (call.RequestsEscalation)
            findings.Add(Decision.Ask, ReasonClass.Escalation, "the call asks to run outside the sandbox", call.ToolName);
        return new EffectiveMode(sandbox, _snapshot.ApprovalPolicy, _snapshot.NetworkAccess, _snapshot.AutoAcceptEdits,
            sandboxed && sandbox != SandboxMode.DangerFullAccess);
    }

    private string? InputProblem(ToolCall call)
    {
        var max = _snapshot.MaxInputBytes;
        if (InputValidator.Problem("tool name", call.ToolName, 256) is { } toolProblem) return toolProblem;
        if (InputValidator.Problem("working directory", call.WorkingDirectory, 4096) is { } cwdProblem) return cwdProblem;
        if (!Path.IsPathRooted(call.WorkingDirectory)) return "working directory must be an absolute path";
        var total = 0;
        foreach (var (key, value) in call.Input)
        {
            total += key.Length + value.Length;
            if (InputValidator.Problem($"input '{key}'", value, max, allowEmpty: true) is { } p) return p;
        }
        if (total > max) return $"tool input is larger than the {max}-byte limit";
        return call.ToolName switch
        {
            ToolNames.Bash => InputValidator.Problem("command", call.InputValue(ToolInputKeys.Command), max),
            var t when ToolNames.IsFileEdit(t) => InputValidator.Problem("file_path", FilePath(call), 4096),
            ToolNames.Read => InputValidator.Problem("file_path", call.InputValue(ToolInputKeys.FilePath), 4096),
            ToolNames.WebFetch => InputValidator.Problem("url", call.InputValue(ToolInputKeys.Url), 8192),
            _ => null,
        };
    }

    internal static string? FilePath(ToolCall call) =>
        call.InputValue(ToolInputKeys.FilePath) ?? call.InputValue(ToolInputKeys.NotebookPath);

    internal static string ReadTarget(ToolCall call)
    {
        if (call.ToolName == ToolNames.Read) return call.InputValue(ToolInputKeys.FilePath)!;
        var root = call.InputValue(ToolInputKeys.Path) is { Length: > 0 } p ? p : call.WorkingDirectory;
        // A Glob pattern can climb out of its root (../../etc/*): judge the fixed part before the first wildcard.
        if (call.ToolName == ToolNames.Glob && call.InputValue(ToolInputKeys.Pattern) is { Length: > 0 } pattern)
        {
            var cut = pattern.IndexOfAny(['*', '?', '[', '{']);
            var fixedPart = cut < 0 ? pattern : pattern[..cut];
            var slash = fixedPart.LastIndexOf('/');
            if (slash >= 0) root = Path.Combine(root, fixedPart[..(slash + 1)]);
        }
        return root;
    }

    private void EvaluateFetch(FindingCollector findings, ToolCall call, EffectiveMode mode)
    {
        var url = call.InputValue(ToolInputKeys.Url)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.Host.Length == 0)
        {
            findings.Add(Decision.Deny, ReasonClass.InvalidInput, $"'{url}' is not an http(s) URL", url);
            return;
        }
        var host = uri.IdnHost;
        if (RuleFindings.Apply(findings, url, $"fetching from {host}", d => _rules.MatchDomain(d, ToolNames.WebFetch, host)) is null)
        {
            var (decision, reason) = DecisionTable.ForRisk(CommandRisk.Network, false, mode, writePathsKnown: false);
            findings.Add(decision, reason, $"fetches from {host}", url);
        }
    }

    private void EvaluateOther(FindingCollector findings, ToolCall call)
    {
        if (McpTools.IsMcp(call.ToolName) && call.InputValue(McpTools.ChangedFromKey) is { } before)
            findings.Add(Decision.Ask, ReasonClass.ChangedDefinition,
                $"the definition of {call.ToolName} changed since it was first seen or last approved ({Short(before)} -> {Short(call.InputValue(McpTools.DefinitionKey))})", call.ToolName);
        if (RuleFindings.Apply(findings, call.ToolName, call.ToolName, d => _rules.MatchOther(d, call.ToolName, call.Input.Values)) is null)
            findings.Add(Decision.Ask, ReasonClass.UnknownTool, $"no rule covers {call.ToolName}", call.ToolName);
    }

    private static string Short(string? digest) => digest is { Length: > 12 } ? digest[..12] : digest ?? "none";

    private Verdict Finish(FindingCollector findings, EffectiveMode mode, IFileView files)
    {
        var deciding = findings.Deciding!;
        var decision = findings.Strictest;
        var reasonClass = deciding.Class;
        var reason = deciding.Message;
        var rule = deciding.Rule;

        // A policy that failed to load lets through only what the managed rules themselves allow.
        if (_snapshot.FailedClosed && decision != Decision.Deny && deciding.Class != ReasonClass.InvalidInput
            && findings.Findings.Any(f => f.Rule is null && f.Decision != Decision.Deny))
        {
            decision = Decision.Deny;
            reasonClass = ReasonClass.PolicyFailedClosed;
            reason = $"policy failed to load, so everything the managed rules do not allow is denied: {_snapshot.Errors[0]}";
            rule = null;
        }
        if (decision == Decision.Ask && mode.Approval == ApprovalPolicy.Never)
        {
            decision = Decision.Deny;
            reason += " (approval policy 'never' turns ask into deny)";
        }
        var facts = files switch { RecordingFileView recording => recording.Facts, RecordedFileView recorded => recorded.Facts, _ => null };
        return new Verdict(decision, reasonClass, reason, rule, mode, findings.Findings, _snapshot.Version, facts);
    }
}
