using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>
/// Codex's own command-safety test cases against our classifier: what Codex will not auto-approve is never read-only
/// here, what Codex auto-approves is read-only here, and every deliberate difference is listed with its reason in
/// <see cref="CodexSafetyCases"/> and must still hold.
/// </summary>
public class CodexSafetyParityTests
{
    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < CodexSafetyCases.All.Length; i++) data.Add(i, CodexSafetyCases.All[i].ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classification_agrees_with_Codex_or_differs_only_as_documented(int index, string description)
    {
        var testCase = CodexSafetyCases.All[index];
        var verdict = CommandLineRisk.Of(testCase.Argv);
        var context = $"{description} [{testCase.Source}] -> {verdict}";

        switch (testCase.Codex, testCase.Deviation)
        {
            case (CodexVerdict.Safe, Deviation.None):
            case (CodexVerdict.Unsafe or CodexVerdict.Dangerous, Deviation.MorePermissive):
                Assert.True(verdict.IsReadOnly, context);
                break;
            case (CodexVerdict.Unsafe or CodexVerdict.Dangerous, Deviation.None):
            case (CodexVerdict.Safe, Deviation.Stricter):
                Assert.True(verdict.Risk > CommandRisk.ReadOnly, context);
                break;
            default:
                Assert.Fail($"{context}: a {testCase.Deviation} deviation makes no sense for a {testCase.Codex} case");
                break;
        }
        if (testCase.Risk is { } risk) Assert.True(risk == verdict.Risk, $"{context}: expected {risk}");
    }

    [Fact]
    public void Every_deviation_from_Codex_says_why()
    {
        foreach (var testCase in CodexSafetyCases.All)
        {
            Assert.True((testCase.Deviation == Deviation.None) == string.IsNullOrWhiteSpace(testCase.Why),
                $"{testCase}: a deviation needs a reason, and only a deviation has one");
        }
    }

    [Fact]
    public void The_ported_cases_cover_every_kind_of_Codex_verdict()
    {
        Assert.Contains(CodexSafetyCases.All, c => c.Codex == CodexVerdict.Safe && c.Deviation == Deviation.None);
        Assert.Contains(CodexSafetyCases.All, c => c.Codex == CodexVerdict.Unsafe && c.Deviation == Deviation.None);
        Assert.Contains(CodexSafetyCases.All, c => c.Codex == CodexVerdict.Dangerous);
        Assert.True(CodexSafetyCases.All.Length > 150, $"only {CodexSafetyCases.All.Length} cases");
    }
}
