using System.Collections.Immutable;
using CsCheck;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;
using Orchestrator.Core.Tests.Paths;

namespace Orchestrator.Core.Tests.Policy.Facts;

/// <summary>
/// The gatherer covers the call space: for generated calls (Bash with paths, globs, redirections, cd, wrappers and
/// nested scripts; the file tools) over a tree of symlinks in and out of the workspace, dangling links, loops and
/// protected names, judging again from the gathered facts never meets an unrecorded question — under the policy that
/// judged the call (and gives its verdict) and under other policies (other roots, modes and rules).
/// </summary>
public sealed class FactGatheringPropertyTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly string _ws;
    private readonly PolicyEvaluator _judge;
    private readonly PolicyEvaluator[] _others;

    public FactGatheringPropertyTests()
    {
        _ws = _tree.Dir("ws");
        _tree.File("ws/src/a.cs");
        _tree.File("ws/src/b.cs");
        _tree.File("ws/notes.txt");
        _tree.File("ws/.env", "SECRET=1");
        _tree.Dir("ws/inside");
        _tree.Dir("ws/.git/hooks");
        _tree.File("outside/secret.txt");
        _tree.File("home/notes.txt");
        _tree.File("home/.ssh/id_rsa");
        _tree.DirLink("ws/link_in", "inside");
        _tree.DirLink("ws/link_out", _tree.P("outside"));
        _tree.Link("ws/dangling", "nowhere/at/all");
        _tree.Link("ws/loop1", "loop2");
        _tree.Link("ws/loop2", "loop1");
        _tree.DirLink("ws/hooks", ".git/hooks");
        _judge = Evaluator(_ws, "on-request");
        _others =
        [
            Evaluator(_ws, "on-request", deny: ["Bash(cat *)", "Bash(cp *)", "Read(./.env)"], allow: ["Bash(xargs:*)", "Bash(find:*)"]),
            Evaluator(_tree.P("ws/src"), "on-request"),
            Evaluator(_tree.Root, "untrusted"),
            Evaluator(_ws, "untrusted", mode: "read-only", deny: ["Read(./.env)", "Edit(src/**)"], allow: ["Edit(inside/**)", "Read(~/**)"]),
        ];
    }

    public void Dispose() => _tree.Dispose();

    private PolicyEvaluator Evaluator(string project, string approval, string? mode = null, string[]? deny = null, string[]? allow = null) =>
        new(PolicyLoader.Load(new PolicyLoadOptions(project)
        {
            HomeDirectory = _tree.P("home"),
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            ApprovalPolicy = approval,
            Mode = mode,
            DenyRules = deny ?? [],
            AllowRules = allow ?? [],
        }));

    private static readonly string[] PathAtoms =
    [
        "src/a.cs", "src/*.cs", "*.txt", "link_in/x", "link_in/../src/a.cs", "link_out/secret.txt", "link_out/*", "dangling/x",
        "dangling", "loop1/x", ".git/hooks/pre-commit", "hooks/pre-commit", ".env", ".e*", "../outside/secret.txt", "~/notes.txt",
        "~/.ssh/id_rsa", "/etc/passwd", "new/dir/file", "./link_out", "/dev/null", "sub/../src/a.cs", "$HOME/notes.txt", "'a b'",
        "src/[ab].cs", "*/a.cs", "link_*/x",
    ];

    private static readonly string[] Directories = ["link_in", "link_out", "src", "..", "/tmp", "dangling", "~", "$HOME", "hooks"];

    private static readonly string[] Scripts =
    [
        "cat {0}", "cp {0} {1}", "echo x > {0}", "cat < {0}", "cd {2} && cat {0}", "find {0} -exec cat {1} \\;", "xargs rm {0}",
        "sh -c 'cat {0} > {1}'", "tee {0}", "sed -i s/a/b/ {0}", "ls {0} | grep x > {1}", "(cd {2}; cat {0}) > {1}",
        "env A=1 cp {0} {1}", "rm -rf {0}", "git -C {2} status", "mv {0} {1} 2>/dev/null", "{{ cat {0}; }} >> {1}",
        "timeout 5 bash -c 'cd {2} && touch {0}'", "cat {0} <<EOF\nx\nEOF", "ln -s {0} {1}", "mkdir -p {0} && cd {0} && echo > {1}",
    ];

    private static readonly Gen<string> PathAtom = Gen.OneOf(PathAtoms);

    private Gen<ToolCall> Calls()
    {
        var cwd = Gen.OneOf(_ws, _tree.P("ws/src"), _tree.P("ws/link_in"), _tree.P("ws/link_out"));
        var bash = Gen.Select(Gen.OneOf(Scripts), PathAtom, PathAtom, Gen.OneOf(Directories), cwd, (script, p, q, d, dir) =>
            ToolCall.Bash(string.Format(System.Globalization.CultureInfo.InvariantCulture, script, p, q, d), dir));
        var file = Gen.Select(Gen.OneOf(ToolNames.Read, ToolNames.Write, ToolNames.Edit, ToolNames.Glob, ToolNames.Grep), PathAtom,
            Gen.OneOf(Directories), cwd, (tool, p, d, dir) =>
            {
                var input = tool switch
                {
                    ToolNames.Glob => ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Pattern, p).Add(ToolInputKeys.Path, d),
                    ToolNames.Grep => ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Pattern, "x").Add(ToolInputKeys.Path, p),
                    _ => ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.FilePath, p.StartsWith('~') || p.StartsWith('/') ? p : dir + "/" + p)
                        .Add("content", "x").Add("old_string", "a").Add("new_string", "b"),
                };
                return ToolCall.Create(tool, input, dir);
            });
        return Gen.Frequency((3, bash), (1, file));
    }

    [Fact]
    public void Judging_again_from_the_gathered_facts_never_meets_an_unrecorded_question()
    {
        Gen.Select(Calls(), Gen.Bool).Sample((call, sandboxed) =>
        {
            var context = $"{call.ToolName} {string.Join(", ", call.Input.Select(kv => $"{kv.Key}={kv.Value}"))} in {call.WorkingDirectory}";
            // Only what gathering asked, before any policy looked: every policy must find all it needs there.
            var gathered = _judge.Gather(call);
            foreach (var policy in _others.Prepend(_judge))
            {
                var judged = policy.Evaluate(call, sandboxed, gathered);
                Assert.True(judged.IsDecided, $"{context} under {policy.Snapshot.ProjectDirectory}: {judged.UndecidableReason}");
                var live = policy.Evaluate(call, sandboxed);
                Assert.True(live.Decision == judged.Verdict!.Decision && live.Reason == judged.Verdict.Reason,
                    $"{context}: live {live.Decision} {live.Reason} / from the facts {judged.Verdict.Decision} {judged.Verdict.Reason}");
            }
        }, iter: 2000, threads: 1);
    }
}
