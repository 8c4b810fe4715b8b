using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Tests.Lifecycle;

namespace Orchestrator.Core.Tests.History;

public class EventSerializationTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };
    private static readonly DateTimeOffset At = CallFixtures.T0;
    private static readonly CallId Call = CallFixtures.Id;

    private static readonly CallReceived Received = new(Call, new AgentId("agent-1"), new SessionId("session-1"),
        CallFixtures.Bash("git push origin main") with { RequestedMode = SandboxMode.ReadOnly }, CallIntent.Execute, 1, Call.Value, At);

    private static readonly CallDecided Decided = new(Call, CallFixtures.Verdict(Decision.Ask),
        [new HookResult("audit", "/usr/local/bin/audit", 0, Decision.Allow, "fine", TimeSpan.FromMilliseconds(12), "sha256:abc"),
         new HookResult("slow", "/bin/slow", null, null, null, TimeSpan.FromSeconds(5), null)],
        new GrantId("grant-1"), At);

    public static TheoryData<HistoryEvent> AllEvents() =>
    [
        Received,
        Decided,
        new CallReceivedAndDecided(Received, Decided),
        new ApprovalRequested(Call, new ApprovalId("ap-1"), new AgentId("agent-1"), new SessionId("session-1"), "Bash",
            "git push", "Bash: git push", ReasonClass.RuleAsk, "ask rule", GrantScope.Session, "operators", 0, At, At.AddMinutes(10)),
        new ApprovalRequested(Call, new ApprovalId("ap-2"), new AgentId("agent-2"), new SessionId("sub-1"), "Bash",
            "git push", "Bash: git push", ReasonClass.RuleAsk, "ask rule", GrantScope.Once, "operators", 0, At, At.AddMinutes(10),
            ParentSession: new SessionId("session-1")),
        new SessionParentDeclared(new SessionId("sub-1"), new SessionId("session-1"), new AgentId("agent-2"), new AgentId("agent-1"), Call, At),
        new ApprovalAnswered(Call, new ApprovalId("ap-1"), true, GrantScope.Always, null, "alice", At),
        new ApprovalTimedOut(Call, new ApprovalId("ap-1"), At, "security", At.AddSeconds(1)),
        new ExecutionQueued(Call, "agent agent-1 has 8 runs going (its cap)", At),
        new ExecutionStarted(Call, "linux", "sha256:profile", At),
        new ExecutionStarted(Call, "linux-builtin", "sha256:profile", At,
            new RecordedLayers(["landlock abi 6", "seccomp"], ["no mount namespace (unprivileged user namespaces are disabled)"])),
        new ExecutionFinished(Call, new ExecutionResult(137, true, 9, TimeSpan.FromSeconds(30), 1 << 21, 5, true, false, "sha256:o", "sha256:e"), At),
        new ExecutionFinished(Call, new ExecutionResult(137, false, 9, TimeSpan.FromSeconds(2), 0, 0, false, false, "sha256:o", "sha256:e",
            KilledAtMemoryLimit: 256L * 1024 * 1024), At),
        new ExecutionFinished(Call, new ExecutionResult(0, false, null, TimeSpan.FromSeconds(1), 0, 0, false, false, "sha256:o", "sha256:e",
            [new CreatedProtectedPath("/ws/src/.vscode", "/data/quarantine/20261202T000000000Z-1a2b3c4d/.vscode", null, 2),
             new CreatedProtectedPath("/ws/.envrc", null, "gone before it could be moved", 0)]), At),
        new ExecutionFinished(Call, new ExecutionResult(0, false, null, TimeSpan.FromSeconds(1), 70_000, 2, true, false, "sha256:o", "sha256:e",
            Output: new RecordedOutput(KeptStream.Of("head"u8, "tail"u8), KeptStream.Of("e\n"u8, []))), At),
        new ExecutionFinished(Call, new ExecutionResult(0, false, null, TimeSpan.FromSeconds(1), 12, 0, false, false, "sha256:o", "sha256:e",
            Output: new RecordedOutput(KeptStream.Of("     1\tdone\n"u8, []), KeptStream.Of([], [])),
            Tool: new ToolRecord("Edit", "/ws/a.txt", BeforeDigest: "sha256:b", AfterDigest: "sha256:a", Diff: "@@ -1 +1 @@\n-a\n+b\n",
                Details: ImmutableSortedDictionary<string, string>.Empty.Add("replacements", "1"))), At),
        new ExecutionFinished(Call, new ExecutionResult(0, false, null, TimeSpan.FromSeconds(1), 12, 0, false, false, "sha256:o", "sha256:e",
            Tool: new ToolRecord("Read", "/ws/a.txt", RangeStart: 0, RangeEnd: 5, Digest: "sha256:r")), At),
        new ExecutionFinished(Call, new ExecutionResult(1, false, null, TimeSpan.FromSeconds(1), 0, 24, false, false, "sha256:o", "sha256:e",
            Tool: new ToolRecord("WebFetch", "http://example.com/", Failure: "GET http://example.com/ answered 404 Not Found")), At),
        new ExecutionFinished(Call, new ExecutionResult(0, false, null, TimeSpan.FromSeconds(1), 3, 0, false, false, "sha256:o", "sha256:e"), At) { PostHooks = 2 },
        new PostToolHooksRan(Call, "PostToolUse",
            [new HookResult("lint", "./lint.sh", 0, null, null, TimeSpan.FromMilliseconds(7), "sha256:l", "2 warnings", "PostToolUse"),
             new HookResult("gate", "http://127.0.0.1:9/h", 0, Decision.Deny, "hook 'gate' denied: blocked", TimeSpan.FromMilliseconds(3), null, null, "PostToolUse")],
            null, At),
        new PostToolHooksRan(Call, "PostToolUseFailure", [], "not run: the server restarted after the run and before the post hooks answered", At),
        new CallCompleted(Call, CallOutcome.AllowedAndRan, 0, null, At),
        new CallInterrupted(Call, "server stopped", At),
        new GrantAdded(new GrantId("grant-1"), GrantScope.Session, "Bash(git push)", "Bash", "git push",
            new SessionId("session-1"), new AgentId("agent-1"), new ApprovalId("ap-1"), "alice", At),
        new GrantAdded(new GrantId("grant-2"), GrantScope.Team, "Bash(git push)", "Bash", "git push",
            new SessionId("session-1"), new AgentId("agent-2"), new ApprovalId("ap-2"), "alice", At),
        new GrantRevoked(new GrantId("grant-1"), GrantScope.Session, "Bash(git push)", new SessionId("session-1"), "admin", "too broad", At),
        new RequestRefused("alice", "POST /v1/approvals/{id}", 403, "alice is an agent; answering approvals needs an operator", 3, At),
        new PolicyLoaded("v7", "/ws", new PolicyLoadSettings("/ws", "/home/u", "/etc/orchestrator/managed-settings.json", null,
                ["/ws/extra.json"], [], ["Bash(ls)"], [], ["Bash(rm:*)"], "default", null, "off", ["/data"]),
            [new PolicyLayerSource("/etc/orchestrator/managed-settings.json", Orchestrator.Core.Policy.Sources.PolicyFileKind.File, SettingsLayer.Managed, "ab12", "{}", Entries: []),
             new PolicyLayerSource("/ws/.orchestrator/rules", Orchestrator.Core.Policy.Sources.PolicyFileKind.Directory, null, "cd34", Entries: ["a.rules"]),
             new PolicyLayerSource("/ws/.orchestrator/settings.json", Orchestrator.Core.Policy.Sources.PolicyFileKind.Missing, null, "", Entries: [])],
            ["/ws/x.json:1:2: bad"], true, At),
        new ShadowDisagreed(new CallId("call-1"), new AgentId("agent-1"), "Bash", Decision.Allow, Decision.Deny, "Bash(ls:*)", "denied by rule", "/tmp/candidate.json", At),
        new ShadowFollowed(4_711, ["call-1", "call-2"], At),
    ];

    [Theory]
    [MemberData(nameof(AllEvents))]
    public void Every_event_round_trips_through_system_text_json(HistoryEvent evt)
    {
        var json = JsonSerializer.Serialize(evt, evt.GetType(), Options);

        var back = (HistoryEvent)JsonSerializer.Deserialize(json, evt.GetType(), Options)!;

        Assert.Equal(evt.GetType(), back.GetType());
        Assert.Equal(json, JsonSerializer.Serialize(back, back.GetType(), Options));
    }

    [Fact]
    public void Every_concrete_history_event_has_a_unique_versioned_manifest()
    {
        var types = typeof(HistoryEvent).Assembly.GetTypes()
            .Where(t => typeof(HistoryEvent).IsAssignableFrom(t) && !t.IsAbstract).ToList();

        var manifests = types.Select(t => t.GetCustomAttribute<EventManifestAttribute>()?.Manifest).ToList();

        Assert.Equal(19, types.Count);
        Assert.All(manifests, m => Assert.Matches(@"^[a-z]+(-[a-z]+)*\.v\d+$", m));
        Assert.Equal(manifests.Count, manifests.Distinct().Count());
        Assert.All(types, t => Assert.True(t.IsSealed, $"{t.Name} must be sealed"));
    }

    [Fact]
    public void Every_event_in_the_round_trip_set_is_covered()
    {
        var covered = AllEvents().Cast<object[]>().Select(row => row[0].GetType()).ToHashSet();
        var all = typeof(HistoryEvent).Assembly.GetTypes().Where(t => typeof(HistoryEvent).IsAssignableFrom(t) && !t.IsAbstract);

        Assert.All(all, t => Assert.Contains(t, covered));
    }

    [Fact]
    public void An_execution_finished_written_before_created_protected_paths_existed_reads_as_having_none()
    {
        const string v1 = """
            {"CallId":{"Value":"call-1"},"Result":{"ExitCode":0,"TimedOut":false,"Signal":null,"Duration":"00:00:01","StdoutBytes":3,
             "StderrBytes":0,"StdoutTruncated":false,"StderrTruncated":false,"StdoutDigest":"sha256:o","StderrDigest":"sha256:e"},
             "FinishedAt":"2026-01-01T00:00:00+00:00"}
            """;

        var back = JsonSerializer.Deserialize<ExecutionFinished>(v1, Options)!;

        Assert.Equal(3, back.Result.StdoutBytes);
        Assert.Empty(back.Result.CreatedProtectedPaths);
        Assert.Null(back.Result.Output);
        Assert.Null(back.Result.Tool);
        Assert.Null(back.Result.KilledAtMemoryLimit);
        Assert.Null(back.PostHooks);
        Assert.Equal("execution-finished.v1", typeof(ExecutionFinished).GetCustomAttribute<EventManifestAttribute>()!.Manifest);
    }

    [Fact]
    public void An_approval_request_and_a_call_written_before_teams_read_as_having_no_parent()
    {
        var request = new ApprovalRequested(Call, new ApprovalId("ap-1"), new AgentId("agent-1"), new SessionId("session-1"), "Bash",
            "git push", "Bash: git push", ReasonClass.RuleAsk, "ask rule", GrantScope.Once, "operators", 0, At, At.AddMinutes(10));
        var json = JsonSerializer.Serialize(request, Options).Replace(",\"ParentSession\":null", "", StringComparison.Ordinal);
        Assert.DoesNotContain("ParentSession", json);

        Assert.Null(JsonSerializer.Deserialize<ApprovalRequested>(json, Options)!.ParentSession);
        var received = JsonSerializer.Serialize(Received, Options).Replace(",\"ParentSession\":null", "", StringComparison.Ordinal);
        Assert.Null(JsonSerializer.Deserialize<CallReceived>(received, Options)!.Call.ParentSession);
        Assert.Equal("session-parent-declared.v1", typeof(SessionParentDeclared).GetCustomAttribute<EventManifestAttribute>()!.Manifest);
    }

    [Fact]
    public void An_execution_started_written_before_layers_were_recorded_reads_as_the_sandbox_kind_alone()
    {
        const string v1 = """
            {"CallId":{"Value":"call-1"},"SandboxKind":"linux-bwrap","ProfileDigest":"sha256:p","StartedAt":"2026-01-01T00:00:00+00:00"}
            """;

        var back = JsonSerializer.Deserialize<ExecutionStarted>(v1, Options)!;

        Assert.Null(back.Layers);
        Assert.Equal("linux-bwrap", back.DescribeSandbox());
        Assert.Equal("linux-bwrap: active [bubblewrap, seccomp]; unavailable [landlock tcp deny]",
            (back with { Layers = new RecordedLayers(["bubblewrap", "seccomp"], ["landlock tcp deny"]) }).DescribeSandbox());
    }

    [Fact]
    public void Enums_are_written_by_name_and_ids_as_their_value()
    {
        var json = JsonSerializer.Serialize(new CallCompleted(Call, CallOutcome.ApprovalDenied, null, "no", At), Options);

        Assert.Contains("\"Outcome\":\"ApprovalDenied\"", json);
        Assert.Contains("\"CallId\":{\"Value\":\"call-1\"}", json);
    }

    [Fact]
    public void A_received_call_keeps_its_masked_input_through_the_journal()
    {
        var masked = SecretMasker.MaskCall(CallFixtures.Bash("AWS_SECRET_ACCESS_KEY=abc aws s3 ls") with { RequestedMode = SandboxMode.ReadOnly });
        var evt = Received with { Call = masked.Call, MaskedSecrets = masked.Count };

        var back = JsonSerializer.Deserialize<CallReceived>(JsonSerializer.Serialize(evt, Options), Options)!;

        Assert.Equal("AWS_SECRET_ACCESS_KEY=*** aws s3 ls", back.Call.InputValue(ToolInputKeys.Command));
        Assert.Equal(SandboxMode.ReadOnly, back.Call.RequestedMode);
    }

    [Fact]
    public void The_combined_event_carries_the_call_id_of_its_parts_after_a_round_trip()
    {
        var combined = new CallReceivedAndDecided(Received, Decided);

        var back = JsonSerializer.Deserialize<CallReceivedAndDecided>(JsonSerializer.Serialize(combined, Options), Options)!;

        Assert.Equal(Call, back.CallId);
        Assert.Equal(Decision.Ask, back.Decided.Verdict.Decision);
        Assert.Equal(2, back.Decided.Hooks.Length);
    }
}
