using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.Tests.Corpus;

/// <summary>
/// One corpus data file: a workspace to build (files, directories, symlinks), settings layers to install, and cases.
/// Strings may use {ws} (the project directory), {home} (a temporary HOME) and {outside} (a directory outside both).
/// </summary>
public sealed record CorpusFile
{
    public string Description { get; init; } = "";
    /// <summary>Settings per layer: managed, commandLine, projectLocal, project, user. JSON objects, or strings for raw (broken) text.</summary>
    public Dictionary<string, JsonElement> Layers { get; init; } = [];
    /// <summary>Codex rules files installed into {ws}/.orchestrator/rules/NAME.</summary>
    public Dictionary<string, string> RulesFiles { get; init; } = [];
    public List<FsEntry> Fs { get; init; } = [];
    public string? Mode { get; init; }
    public string? Approval { get; init; }
    public string? Network { get; init; }
    public List<CorpusCase> Cases { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}

/// <summary>A directory (<c>dir</c>), a file (<c>file</c>, optional <c>content</c>) or a symlink (<c>symlink</c> → <c>to</c>).</summary>
public sealed record FsEntry
{
    public string? Dir { get; init; }
    public string? File { get; init; }
    public string? Content { get; init; }
    public string? Symlink { get; init; }
    public string? To { get; init; }
}

public sealed record CorpusCase
{
    public required string Name { get; init; }
    public string Tool { get; init; } = "Bash";
    public string? Command { get; init; }
    public string? Path { get; init; }
    public string? Url { get; init; }
    public string? Pattern { get; init; }
    public Dictionary<string, string> Input { get; init; } = [];
    /// <summary>Working directory relative to {ws}, or with a placeholder.</summary>
    public string? Cwd { get; init; }
    public string? Mode { get; init; }
    public string? Approval { get; init; }
    public string? Network { get; init; }
    public string? RequestMode { get; init; }
    public bool Escalate { get; init; }
    public bool Unsandboxed { get; init; }
    public required string Expect { get; init; }
    /// <summary>The reason class (kebab-case) of the deciding finding, e.g. rule-deny, escape-hatch.</summary>
    public required string Reason { get; init; }
    /// <summary>Optional: the deciding rule's text.</summary>
    public string? Rule { get; init; }
}
