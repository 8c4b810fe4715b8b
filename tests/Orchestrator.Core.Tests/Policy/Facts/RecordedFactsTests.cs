using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;
using Orchestrator.Core.Tests.Paths;

namespace Orchestrator.Core.Tests.Policy.Facts;

/// <summary>
/// A verdict carries the filesystem facts it was judged on, and judging the call again from them gives the recorded
/// verdict whatever the disk says now; a judgement that needs an unrecorded fact is undecidable, never a guess.
/// </summary>
public sealed class RecordedFactsTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly string _ws;
    private readonly PolicyEvaluator _evaluator;

    public RecordedFactsTests()
    {
        _ws = _tree.Dir("ws");
        _tree.Dir("ws/inside");
        _tree.Dir("home");
        _evaluator = Evaluator(_ws);
    }

    public void Dispose() => _tree.Dispose();

    private PolicyEvaluator Evaluator(string project, string approval = "on-request", params string[] deny) =>
        new(PolicyLoader.Load(new PolicyLoadOptions(project)
        {
            DenyRules = deny,
            HomeDirectory = _tree.P("home"),
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            ApprovalPolicy = approval,
        }));

    private ToolCall Write(string path) =>
        ToolCall.Create(ToolNames.Write, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.FilePath, path).Add("content", "x"), _ws);

    private void Relink(string link, string target)
    {
        File.Delete(_tree.P(link));
        _tree.DirLink(link, target);
    }

    [Theory]
    [InlineData("Write", "link/f.txt")]
    [InlineData("Bash", "echo hi > link/f.txt")]
    [InlineData("Bash", "cd link && touch f.txt")]
    public void A_symlink_changed_after_the_decision_does_not_change_the_recorded_verdict_but_changes_a_live_one(string tool, string input)
    {
        _tree.DirLink("ws/link", _tree.P("ws/inside"));
        var call = tool == ToolNames.Write ? Write(input) : ToolCall.Bash(input, _ws);
        var recorded = _evaluator.Evaluate(call, sandboxed: true);
        Assert.Equal(Decision.Allow, recorded.Decision);
        Assert.Contains(recorded.Facts!.Entries, f => f is { Kind: FileFactKind.Link } && f.Path == _tree.P("ws/link"));

        Relink("ws/link", "/etc");

        var again = _evaluator.Evaluate(call, sandboxed: true, recorded.Facts!);
        Assert.True(again.IsDecided, again.UndecidableReason);
        AssertSameVerdict(recorded, again.Verdict!);
        var live = _evaluator.Evaluate(call, sandboxed: true);
        Assert.NotEqual(recorded.Decision, live.Decision);
        Assert.Equal(ReasonClass.OutsideWorkspace, live.ReasonClass);
    }

    [Fact]
    public void A_glob_is_judged_again_from_the_names_it_matched()
    {
        _tree.File("ws/a.txt");
        _tree.File("ws/.env", "SECRET=1");
        var evaluator = Evaluator(_ws, "on-request", "Read(./.env)");
        var call = ToolCall.Bash("cat .e*", _ws);
        var recorded = evaluator.Evaluate(call);
        Assert.Equal(Decision.Deny, recorded.Decision);
        Assert.Contains(recorded.Facts!.Entries, f => f is { Kind: FileFactKind.Matches, Glob: ".e*" });

        File.Delete(_tree.P("ws/.env"));

        var again = evaluator.Evaluate(call, true, recorded.Facts!);
        AssertSameVerdict(recorded, again.Verdict!);
        Assert.NotEqual(Decision.Deny, evaluator.Evaluate(call).Decision);
    }

    [Fact]
    public void A_protected_name_created_after_the_decision_does_not_change_the_recorded_verdict()
    {
        _tree.DirLink("ws/tools", _tree.P("ws/inside"));
        var call = Write("tools/hook.sh");
        var recorded = _evaluator.Evaluate(call);
        Assert.Equal(Decision.Allow, recorded.Decision);

        Relink("ws/tools", _tree.Dir("ws/.git/hooks"));

        AssertSameVerdict(recorded, _evaluator.Evaluate(call, true, recorded.Facts!).Verdict!);
        Assert.Equal(ReasonClass.ProtectedPath, _evaluator.Evaluate(call).ReasonClass);
    }

    [Fact]
    public void The_facts_of_another_call_leave_a_judgement_undecidable()
    {
        var facts = _evaluator.Evaluate(Write("a.txt")).Facts!;

        var again = _evaluator.Evaluate(Write("sub/b.txt"), true, facts);

        Assert.False(again.IsDecided);
        Assert.Contains("was not recorded", again.UndecidableReason);
    }

    [Fact]
    public void Facts_past_the_caps_make_the_call_undecidable()
    {
        var again = _evaluator.Evaluate(Write("a.txt"), true, FileFacts.Overflowed);

        Assert.False(again.IsDecided);
        Assert.Contains("more of the filesystem than is recorded", again.UndecidableReason);
    }

    [Fact]
    public void A_call_that_names_no_path_records_only_its_working_directory()
    {
        var verdict = _evaluator.Evaluate(ToolCall.Bash("git status", _ws));

        Assert.All(verdict.Facts!.Entries, f => Assert.True(PathText.IsSameOrUnder(_ws, f.Path, StringComparison.Ordinal)));
        Assert.True(_evaluator.Evaluate(ToolCall.Bash("git status", _ws), true, verdict.Facts!).IsDecided);
    }

    [Fact]
    public void Facts_recorded_under_one_policy_judge_the_call_under_another()
    {
        _tree.DirLink("ws/link", _tree.P("ws/inside"));
        var call = ToolCall.Bash("cp link/a ../outside/b && cat ~/notes.txt", _ws);
        var facts = _evaluator.Evaluate(call).Facts!;
        Relink("ws/link", "/etc");

        foreach (var other in new[] { Evaluator(_tree.P("ws/inside")), Evaluator(_tree.Root), Evaluator(_ws, "untrusted") })
        {
            var again = other.Evaluate(call, true, facts);
            Assert.True(again.IsDecided, again.UndecidableReason);
        }
    }

    private static void AssertSameVerdict(Verdict expected, Verdict actual)
    {
        Assert.Equal(expected.Decision, actual.Decision);
        Assert.Equal(expected.ReasonClass, actual.ReasonClass);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.Rule, actual.Rule);
        Assert.Equal(expected.Mode, actual.Mode);
        Assert.Equal(expected.Findings, actual.Findings);
        Assert.Equal(expected.Facts, actual.Facts);
    }
}
