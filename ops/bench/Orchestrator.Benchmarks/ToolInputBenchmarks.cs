using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Adapters;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Calls.Input;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Reading a call's input at ingress: a Bash input (a 300-character command and a description) and an MCP tool's input
/// with nested arrays and objects through <see cref="ToolInputReader"/> (as <c>POST /v1/calls</c> does), and a whole
/// Claude Code PreToolUse hook input through the adapter (parse, the hook's fields, the tool input). Every string is
/// decoded once (session 29; before, each was decoded twice: once to check it, once to read it).
/// Run: <c>ops/bench/run.sh ToolInput</c>.
/// </summary>
[MemoryDiagnoser]
public class ToolInputBenchmarks
{
    private static readonly string Command = "git log --oneline -n 20 -- src/Orchestrator.Core && " + string.Concat(Enumerable.Repeat("grep -rn 'ToolInputReader' src/ | head -5; ", 6));
    private JsonElement _bash, _mcp;
    private byte[] _hook = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bash = Parse(JsonSerializer.Serialize(new { command = Command, description = "Find the readers of tool inputs", timeout = 120000 }));
        _mcp = Parse(JsonSerializer.Serialize(new
        {
            title = "Release checklist",
            labels = new[] { "release", "ops", "checklist" },
            body = new { sections = Enumerable.Range(0, 8).Select(i => new { heading = $"Step {i}", items = new[] { "check the build", "check the tests", "tag" } }) },
        }));
        _hook = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["session_id"] = "3f2a1c9e-session", ["transcript_path"] = "/home/u/.claude/projects/p/3f2a1c9e.jsonl", ["cwd"] = "/home/u/project",
            ["hook_event_name"] = "PreToolUse", ["tool_name"] = "Bash", ["tool_use_id"] = "toolu_01ABCDEF", ["permission_mode"] = "default",
            ["tool_input"] = new { command = Command, description = "Find the readers of tool inputs" },
        }));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Benchmark(Description = "Bash input (ToolInputReader)")]
    public ToolInputResult Bash() => ToolInputReader.Read(ToolNames.Bash, _bash);

    [Benchmark(Description = "MCP input, nested (ToolInputReader)")]
    public ToolInputResult Mcp() => ToolInputReader.Read("mcp__github__create_issue", _mcp);

    [Benchmark(Description = "Claude Code hook input (parse + call)")]
    public ToolCall? Hook()
    {
        var (input, _) = ClaudeCodeHookInput.Parse(_hook);
        return ClaudeCodeHookCall.From(input!, new AgentId("claude-code")).Call;
    }
}
