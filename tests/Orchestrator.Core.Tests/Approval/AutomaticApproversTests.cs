using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Approval;

public class AutomaticApproversTests
{
    private static ApprovalRequested Request(ReasonClass reasonClass) =>
        new(Id, FirstApproval, new AgentId("a"), new SessionId("s"), ToolNames.Bash, "cat x", "Bash: cat x", reasonClass,
            "reason", GrantScope.Once, "operators", 0, T0, T0.AddMinutes(10));

    [Fact]
    public void Auto_approve_approves_anything_for_this_call_only()
    {
        var answer = AutomaticApprover.AutoApprove.Answer(Request(ReasonClass.Destructive));

        Assert.True(answer.Approved);
        Assert.Equal(GrantScope.Once, answer.Scope);
        Assert.Equal("auto-approve", answer.AnsweredBy);
        Assert.Equal(FirstApproval, answer.ApprovalId);
    }

    [Fact]
    public void Auto_deny_denies_anything()
    {
        Assert.False(AutomaticApprover.AutoDeny.Answer(Request(ReasonClass.ReadOnly)).Approved);
    }

    [Fact]
    public void Classifier_safe_approves_read_only_calls()
    {
        Assert.True(AutomaticApprover.ApproveClassifierSafe.Answer(Request(ReasonClass.ReadOnly)).Approved);
    }

    [Theory]
    [InlineData(ReasonClass.RuleAsk)]
    [InlineData(ReasonClass.WorkspaceWrite)]
    [InlineData(ReasonClass.Network)]
    [InlineData(ReasonClass.Unparsed)]
    public void Classifier_safe_denies_everything_not_read_only(ReasonClass reasonClass)
    {
        var answer = AutomaticApprover.ApproveClassifierSafe.Answer(Request(reasonClass));

        Assert.False(answer.Approved);
        Assert.Contains(reasonClass.Name(), answer.Reason);
    }

    [Theory]
    [InlineData("auto-approve", AutomaticApprover.AutoApprove)]
    [InlineData("auto-deny", AutomaticApprover.AutoDeny)]
    [InlineData("approve-classifier-safe", AutomaticApprover.ApproveClassifierSafe)]
    public void Approvers_are_named_as_configured(string name, AutomaticApprover approver)
    {
        Assert.Equal(approver, AutomaticApprovers.Parse(name));
        Assert.Equal(name, approver.Name());
    }

    [Fact]
    public void An_unknown_approver_name_parses_to_nothing()
    {
        Assert.Null(AutomaticApprovers.Parse("approve-everything"));
    }
}
