namespace Orchestrator.Core.Classification;

/// <summary>Why the commands a script runs cannot all be named before it runs.</summary>
public enum ScriptUnknownKind
{
    /// <summary>The parser does not fully understand the script.</summary>
    NotUnderstood,

    /// <summary>A program name, or the command a wrapper runs, is only known at run time.</summary>
    RuntimeProgram,

    /// <summary>A script run by <c>sh -c</c>, <c>eval</c> or <c>trap</c> is only known at run time.</summary>
    RuntimeScript,

    /// <summary>Scripts inside scripts deeper than <see cref="ScriptCommands.MaxScriptDepth"/>.</summary>
    TooDeep,

    /// <summary>Bash evaluates a value only known at run time as code (arithmetic, subscripts, indirection, aliases).</summary>
    HiddenCode,
}

/// <summary>One reason the enumeration of a script's commands is incomplete.</summary>
/// <param name="Subject">The script or command it concerns, as written.</param>
public sealed record ScriptUnknown(ScriptUnknownKind Kind, string Reason, string Subject);
