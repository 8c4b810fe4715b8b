using System.Collections.Immutable;
using CsCheck;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Policy;

/// <summary>
/// Issue 8 §1 as properties over wrappers × programs × rules: wrapping a command never loosens its verdict (so an
/// allow rule on a wrapper never turns the inner command's deny or ask into an allow), a deny rule's verdict survives
/// any added allow rule, and a protected-path write is never allowed by a rule that does not name the path.
/// </summary>
public sealed class PrecedencePropertyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orchestrator-precedence-").FullName;
    private readonly string _project;
    private readonly string _home;

    public PrecedencePropertyTests()
    {
        _project = Path.Combine(_root, "ws");
        _home = Path.Combine(_root, "home");
        Directory.CreateDirectory(Path.Combine(_project, ".git", "hooks"));
        Directory.CreateDirectory(Path.Combine(_home, ".ssh"));
        File.WriteAllText(Path.Combine(_project, ".env"), "SECRET=1\n");
        File.WriteAllText(Path.Combine(_home, ".ssh", "id_rsa"), "key\n");
    }

    /// <summary>Inner commands without quotes or dollars, so every wrapper below can hold them as written.</summary>
    private static readonly string[] Programs =
    [
        "rm -rf x", "rm -r build", "rm -fr /", "cat .env", "cat ~/.ssh/id_rsa", "head -1 ./.env", "git push origin main",
        "git push --force", "git -C . push -f origin main", "npm publish", "ls -la", "echo hi", "git status", "python3 build.py",
        "curl https://example.com", "cp README.md .git/hooks/pre-commit", "tee .envrc", "find . -delete", "rg --pre ./x y",
        "touch new.txt", "sed -i s/a/b/ f", "make test", "git log --output=/tmp/x",
    ];

    /// <summary>Each wraps a command given as {0}, or as {1} quoted for the shell as one word.</summary>
    private static readonly string[] Wrappers =
    [
        "env {0}", "env A=1 {0}", "command {0}", "timeout 5 {0}", "timeout -s KILL 5 {0}", "nohup {0}", "nice {0}",
        "nice -n 5 {0}", "time {0}", "stdbuf -o0 {0}", "sudo {0}", "xargs {0}", "xargs -0 -n 1 {0}", "bash -c {1}",
        "sh -c {1}", "bash -lc {1}", "eval {1}", "find . -exec {0} \\;", "find . -name y -execdir {0} \\;", "exec {0}",
    ];

    private static readonly string[] DenyRules =
        ["Bash(rm -rf *)", "Read(./.env)", "Read(~/.ssh/**)", "Bash(git push *)", "Bash(git push --force*)", "Bash(rm -rf /*)"];

    private static readonly string[] AskRules = ["Bash(npm publish *)", "Bash(curl *)", "Bash(make *)"];

    private static readonly string[] AllowRules =
    [
        "Bash(*)", "Bash", "Bash(env:*)", "Bash(xargs:*)", "Bash(timeout:*)", "Bash(nohup:*)", "Bash(nice:*)", "Bash(bash -c *)",
        "Bash(sh -c *)", "Bash(find:*)", "Bash(command:*)", "Bash(time:*)", "Bash(stdbuf:*)", "Bash(sudo:*)", "Bash(exec:*)",
        "Edit", "Edit(**)", "Read(**)", "Bash(rg *)", "Bash(sed *)", "Bash(git *)", "Bash(cat *)", "Bash(echo *)",
    ];

    private static readonly Gen<string> Program = Gen.OneOf(Programs);
    private static readonly Gen<string[]> WrapperChain = Gen.OneOf(Wrappers).Array[0, 3];
    private static readonly Gen<Rules> Policy =
        Gen.Select(Gen.OneOf(DenyRules).Array[0, 3], Gen.OneOf(AskRules).Array[0, 2], Gen.OneOf(AllowRules).Array[0, 4],
            Gen.OneOf("untrusted", "on-request", "never"), Gen.Bool,
            (deny, ask, allow, approval, sandboxed) => new Rules(deny.Distinct().ToArray(), ask.Distinct().ToArray(), allow.Distinct().ToArray(), approval, sandboxed));

    private sealed record Rules(string[] Deny, string[] Ask, string[] Allow, string Approval, bool Sandboxed)
    {
        public override string ToString() =>
            $"deny [{string.Join(", ", Deny)}] ask [{string.Join(", ", Ask)}] allow [{string.Join(", ", Allow)}] {Approval} sandboxed={Sandboxed}";
    }

    [Fact]
    public void Wrapping_a_command_never_loosens_its_verdict()
    {
        Gen.Select(Program, WrapperChain, Policy).Sample((program, chain, rules) =>
        {
            var evaluator = Evaluator(rules);
            var inner = Evaluate(evaluator, program, rules.Sandboxed);
            var wrapped = Wrap(program, chain);
            var outer = Evaluate(evaluator, wrapped, rules.Sandboxed);
            Assert.True(outer.Decision >= inner.Decision,
                $"{rules}\n  {program}: {Describe(inner)}\n  {wrapped}: {Describe(outer)}");
        }, iter: 3000, threads: 1);
    }

    [Fact]
    public void An_added_allow_rule_never_lifts_a_deny_rule_or_a_protected_write()
    {
        Gen.Select(Program, WrapperChain, Policy, Gen.OneOf(AllowRules)).Sample((program, chain, rules, added) =>
        {
            var command = Wrap(program, chain);
            var before = Evaluate(Evaluator(rules), command, rules.Sandboxed);
            var widened = rules with { Allow = [.. rules.Allow, added] };
            var after = Evaluate(Evaluator(widened), command, rules.Sandboxed);
            var context = $"{rules} + allow {added}\n  {command}: before {Describe(before)}\n  after {Describe(after)}";
            if (before.Decision == Decision.Deny && before.ReasonClass is ReasonClass.RuleDeny or ReasonClass.SensitivePath)
                Assert.True(after.Decision == Decision.Deny, context);
            if (program.Contains(".git/hooks", StringComparison.Ordinal) || program.Contains(".envrc", StringComparison.Ordinal))
                Assert.True(after.Decision != Decision.Allow, context);
        }, iter: 3000, threads: 1);
    }

    private static string Wrap(string program, string[] chain) =>
        chain.Aggregate(program, (inner, wrapper) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, wrapper, inner, "'" + inner.Replace("'", "'\\''") + "'"));

    private PolicyEvaluator Evaluator(Rules rules) =>
        new(PolicyLoader.Load(new PolicyLoadOptions(_project)
        {
            HomeDirectory = _home,
            ManagedSettingsPath = null,
            UserSettingsPath = null,
            DenyRules = rules.Deny,
            AskRules = rules.Ask,
            AllowRules = rules.Allow,
            ApprovalPolicy = rules.Approval,
        }));

    private Verdict Evaluate(PolicyEvaluator evaluator, string command, bool sandboxed) =>
        evaluator.Evaluate(ToolCall.Create(ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command), _project, null),
            sandboxed);

    private static string Describe(Verdict verdict) => $"{verdict.Decision} [{verdict.ReasonClass.Name()}] {verdict.Reason}";

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
