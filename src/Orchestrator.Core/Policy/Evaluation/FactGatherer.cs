using Orchestrator.Core.Calls;
using Orchestrator.Core.Classification;
using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// Before the policy looks at a call, resolves every path the call names — its working directory; for Bash every path
/// the classifier extracts from every command (inside wrappers and nested scripts too, whatever the rules would skip),
/// globs expanded, and every redirection target; for file tools the file, or the search root with a glob's fixed
/// prefix — through a recording view. What a policy then asks is already known, whichever policy asks it, so the
/// call can be judged again later from the record alone. A superset is harmless: it only adds facts.
/// </summary>
internal sealed class FactGatherer(PathAccessPolicy access, BashEvaluator bash)
{
    public void Gather(ToolCall call, ScriptCommands? commands, IFileView files)
    {
        access.Canonicalize(call.WorkingDirectory, "/", files);
        switch (call.ToolName)
        {
            case ToolNames.Bash when commands is not null:
                GatherScript(commands, files);
                break;
            case var t when ToolNames.IsFileEdit(t):
                if (PolicyEvaluator.FilePath(call) is { } file && !PathAccessPolicy.IsDeviceSink(file))
                    access.Canonicalize(file, call.WorkingDirectory, files);
                break;
            case var t when ToolNames.IsFileRead(t):
                access.Canonicalize(PolicyEvaluator.ReadTarget(call), call.WorkingDirectory, files);
                break;
        }
    }

    private void GatherScript(ScriptCommands commands, IFileView files)
    {
        var home = commands.HomeDirectory;
        foreach (var script in commands.Scripts)
            foreach (var redirection in script.Parsed.CompoundRedirections)
                GatherRedirection(redirection, script.Directory, home, files);
        foreach (var command in commands.Commands)
        {
            var cwd = command.Directory;
            foreach (var redirection in command.Source?.Redirections ?? [])
                GatherRedirection(redirection, cwd, home, files);
            if (command.Classification is not { } classification) continue;
            foreach (var path in classification.Paths)
            {
                if (CommandClassification.IsRuntimeWord(path.Path)) continue;
                // A glob that matches nothing is passed on as written, and checked as such.
                var named = command.Words.IsGlobValue(path.Path) ? bash.ExpandGlob(path.Path, cwd, files) ?? [] : null;
                if (named is null || named.Count == 0) named = [path.Path];
                foreach (var one in named)
                    if (path.Kind != PathAccessKind.Write || !PathAccessPolicy.IsDeviceSink(one))
                        access.Canonicalize(one, cwd.Current, files);
            }
        }
    }

    private void GatherRedirection(Shell.Redirection redirection, WorkingDirectory cwd, string? home, IFileView files)
    {
        if (redirection.Target is null || redirection.IsHereDoc) return;
        if (CommandWords.ValueOf(redirection.Target, cwd, home) is not { } target) return;
        if (redirection.Operator is not ("<" or "<>") && PathAccessPolicy.IsDeviceSink(target)) return;
        access.Canonicalize(target, cwd.Current, files);
    }
}
