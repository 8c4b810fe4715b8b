using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy;

/// <summary>One reason found while evaluating a call: about the whole call, one simple command, or one path.</summary>
public sealed record Finding(Decision Decision, ReasonClass Class, string Message, string Subject, PermissionRule? Rule = null)
{
    public override string ToString() =>
        $"{Decision.ToString().ToLowerInvariant()} [{Class.Name()}] {Subject}: {Message}" + (Rule is null ? "" : $" — rule {Rule.Text} at {Rule.Origin}");
}
