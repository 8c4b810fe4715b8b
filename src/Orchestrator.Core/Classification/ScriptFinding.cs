namespace Orchestrator.Core.Classification;

/// <summary>Something a sed or awk program does beyond filtering text.</summary>
internal enum ScriptFindingKind
{
    /// <summary>Runs a shell command (sed <c>e</c>, awk <c>system()</c>).</summary>
    Executes,

    /// <summary>Pipes to or from a command (awk <c>print | "cmd"</c>, <c>"cmd" | getline</c>).</summary>
    Pipes,

    /// <summary>Writes a file; <see cref="ScriptFinding.File"/> is set when the name is literal.</summary>
    Writes,

    /// <summary>Reads a file named in the script.</summary>
    Reads,

    /// <summary>Loads code or extensions (gawk <c>@load</c>, <c>@include</c>).</summary>
    LoadsCode,

    /// <summary>Opens a network connection (gawk <c>/inet/…</c> special files).</summary>
    Connects,
}

internal sealed record ScriptFinding(ScriptFindingKind Kind, string Construct, string? File = null);
