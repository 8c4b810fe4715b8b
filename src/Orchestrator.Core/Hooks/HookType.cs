namespace Orchestrator.Core.Hooks;

/// <summary>How a hook runs: a shell command fed JSON on stdin, or an http POST of the same JSON to a URL.</summary>
public enum HookType
{
    Command,
    Http,
}
