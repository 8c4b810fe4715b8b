using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>Gathers findings; the strictest decision wins, and the first finding of that decision is the reason.</summary>
internal sealed class FindingCollector
{
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    public Decision Strictest { get; private set; } = Decision.Allow;

    public void Add(Decision decision, ReasonClass reason, string message, string subject, PermissionRule? rule = null)
    {
        _findings.Add(new Finding(decision, reason, message, subject, rule));
        if (decision > Strictest) Strictest = decision;
    }

    public Finding? Deciding => _findings.FirstOrDefault(f => f.Decision == Strictest);
}
