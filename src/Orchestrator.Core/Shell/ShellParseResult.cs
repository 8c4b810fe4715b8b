namespace Orchestrator.Core.Shell;

/// <summary>
/// The outcome of parsing a script. When <see cref="FullyUnderstood"/> is false, <see cref="Problem"/> says why
/// and <see cref="ProblemOffset"/> where; <see cref="Script"/> then holds only what was parsed before the problem
/// and must not be trusted to be complete.
/// </summary>
public sealed record ShellParseResult(ShellScript Script, bool FullyUnderstood, string? Problem, int? ProblemOffset)
{
    private readonly ShellScript _script = Script;
    private readonly SimpleCommandCollector.Result _collected = SimpleCommandCollector.CollectAll(Script);

    // Recomputes the flattened commands when a copy is made with another script, so `with` cannot leave them stale.
    public ShellScript Script
    {
        get => _script;
        init
        {
            _script = value;
            _collected = SimpleCommandCollector.CollectAll(value);
        }
    }

    /// <summary>Every simple command in the script, including nested ones, in source order.</summary>
    public IReadOnlyList<SimpleCommand> SimpleCommands => _collected.Commands;

    /// <summary>Every pipeline of two or more commands, including nested ones.</summary>
    public IReadOnlyList<Pipeline> Pipelines => _collected.Pipelines;

    /// <summary>Redirections attached to compound commands (subshells, groups, loops, conditionals).</summary>
    public IReadOnlyList<Redirection> CompoundRedirections => _collected.CompoundRedirections;

    /// <summary>
    /// Every place, nested ones included, where bash will evaluate a value only known at run time as code
    /// (<see cref="ValueEvaluation"/>): the commands that runs cannot be named before the script runs.
    /// </summary>
    public IReadOnlyList<ValueEvaluation> ValueEvaluations => _collected.ValueEvaluations;

    /// <summary>
    /// The bash syntax in the script that a POSIX shell reads otherwise (<c>&amp;&gt;</c>, <c>&lt;&lt;&lt;</c>,
    /// <c>[[ ]]</c>, <c>$'…'</c>, <c>&lt;( )</c>), sorted: in <c>sh -c</c> (dash) these split commands differently, so
    /// a bash reading of such a script does not say what sh runs.
    /// </summary>
    public IReadOnlyList<string> BashOnlySyntax => _collected.BashOnlySyntax;
}
