using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Policy.RealWorld;

/// <summary>Settings files that are not JSON (a trailing comma, a comment): rejected at the offending character, fail closed.</summary>
public class RealWorldInvalidJsonTests
{
    [Theory]
    [InlineData("claude-settings-trailing-comma.json", "\"Bash(git status)\",", 18, "trailing comma")]
    [InlineData("claude-settings-comments.json", "// Shared", 0, "comments are not allowed")]
    public void The_file_is_rejected_at_the_offending_character_and_the_policy_fails_closed(string name, string needle, int shift, string message)
    {
        using var fixture = RealWorldFixture.ProjectSettings(name);
        var snapshot = fixture.Load();

        var error = Assert.Single(snapshot.Errors);
        Assert.Equal(fixture.Find(needle, shift), error.Location);
        Assert.Contains(message, error.Message);
        Assert.True(snapshot.FailedClosed);
        Assert.Empty(snapshot.AllRules);
        // Nothing of the file applies: not its allow rules, not its mode; even a read is denied.
        Assert.Equal(SandboxMode.WorkspaceWrite, snapshot.SandboxMode);
        var verdict = new PolicyEvaluator(snapshot).Evaluate(fixture.Bash("ls"));
        Assert.Equal(Decision.Deny, verdict.Decision);
        Assert.Equal(ReasonClass.PolicyFailedClosed, verdict.ReasonClass);
    }
}
