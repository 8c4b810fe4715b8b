namespace Orchestrator.Core.Policy;

/// <summary>Why a verdict came out as it did, as a stable class (the corpus and the history key on these).</summary>
public enum ReasonClass
{
    RuleDeny,
    RuleAsk,
    RuleAllow,
    ReadOnly,
    WorkspaceWrite,
    Network,
    Destructive,
    UnknownProgram,
    EscapeHatch,
    Unparsed,
    DynamicCommand,
    DangerousEnvironment,
    ProtectedPath,
    OutsideWorkspace,
    UnresolvablePath,
    ModeForbidsWrite,
    Escalation,
    UnknownTool,
    InvalidInput,
    PolicyFailedClosed,
    /// <summary>A PreToolUse hook denied the call (or failed and fails closed), or a PermissionRequest hook denied an ask.</summary>
    HookDeny,
    /// <summary>A PreToolUse hook raised the verdict to ask.</summary>
    HookAsk,
    /// <summary>A read of the default deny-read set (credential stores, system secrets, Orchestrator's data).</summary>
    SensitivePath,
    /// <summary>A PermissionRequest hook allowed, in a person's place, a call that would have asked.</summary>
    HookAllow,
    /// <summary>An MCP tool whose definition changed since it was first seen or last approved (<see cref="Calls.McpTools"/>).</summary>
    ChangedDefinition,
}

public static class ReasonClassNames
{
    /// <summary>kebab-case, e.g. <c>rule-deny</c>, <c>escape-hatch</c>.</summary>
    public static string Name(this ReasonClass reason) => Text.KebabCase.Of(reason);

    public static ReasonClass? Parse(string name)
    {
        foreach (var value in Enum.GetValues<ReasonClass>())
            if (value.Name() == name) return value;
        return null;
    }
}
