namespace Orchestrator.Core.Calls;

/// <summary>Tool names as Claude Code spells them; rules address tools by these names.</summary>
public static class ToolNames
{
    public const string Bash = "Bash";
    public const string Read = "Read";
    public const string Edit = "Edit";
    public const string Write = "Write";
    public const string MultiEdit = "MultiEdit";
    public const string NotebookEdit = "NotebookEdit";
    public const string Glob = "Glob";
    public const string Grep = "Grep";
    public const string WebFetch = "WebFetch";
    public const string WebSearch = "WebSearch";

    public static bool IsFileRead(string tool) => tool is Read or Glob or Grep;
    public static bool IsFileEdit(string tool) => tool is Edit or Write or MultiEdit or NotebookEdit;
}

public static class ToolInputKeys
{
    public const string Command = "command";
    public const string FilePath = "file_path";
    public const string Path = "path";
    public const string NotebookPath = "notebook_path";
    public const string Pattern = "pattern";
    public const string Url = "url";
}
