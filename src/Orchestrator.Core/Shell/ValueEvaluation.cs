namespace Orchestrator.Core.Shell;

/// <summary>
/// A place where bash evaluates a value only known at run time as code: an arithmetic expression that reads variables
/// (<c>$((x))</c>, <c>${a[i]}</c>, <c>${s:n}</c>, <c>[[ x -eq 1 ]]</c>), an indirect expansion (<c>${!x}</c>) or a
/// variable name with a subscript (<c>[[ -v a[i] ]]</c>). Bash evaluates a variable's value recursively there, and a
/// subscript inside that value (<c>x='a[$(id)]'</c>) runs its command substitutions — commands no parser can name
/// before the script runs.
/// </summary>
/// <param name="Text">The expansion or test as written.</param>
/// <param name="Reason">What bash evaluates there, in words fit to show a human.</param>
public sealed record ValueEvaluation(string Text, string Reason);
