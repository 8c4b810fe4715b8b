using CsCheck;
using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>
/// However a command's options are spelled, ordered, bundled and placed among its operands, its shape and its risk are
/// the same: the space of equivalent spellings of <c>rm</c> and <c>git push</c> commands, sampled.
/// </summary>
public class CommandShapePropertyTests
{
    private const int Iterations = 3000;

    private static readonly string[][] RmOptions = [["-r", "-R", "--recursive"], ["-f", "--force"], ["-v", "--verbose"], ["-d", "--dir"], ["-i"], ["-I"]];
    private static readonly string[] RmCanonical = ["--recursive", "--force", "--verbose", "--dir", "-i", "-I"];
    private static readonly string[] Operands = ["a", "b/c", "/", "x y", "*.log", "~/f", "+x", "-"];

    /// <summary>A command as words plus what it must read as.</summary>
    public sealed record Case(string[] Argv, HashSet<string> Options, string[] Operands)
    {
        public override string ToString() => string.Join(" ", Argv.Select(w => w.Contains(' ') ? $"'{w}'" : w));
    }

    /// <summary>Options in any order and spelling, interleaved with operands, adjacent one-letter flags sometimes bundled.</summary>
    private static Gen<Case> Commands(string[] prefix, string[][] groups, string[] canonical, Gen<string[]> operands) =>
        from spellings in Gen.Int[0, 3].Array[groups.Length]
        from order in Gen.Int.Array[groups.Length]
        from operandWords in operands
        from interleave in Gen.Bool.Array[groups.Length + 8]
        from bundle in Gen.Bool.Array[groups.Length + 8]
        select Build(prefix, groups, canonical, spellings, order, operandWords, interleave, bundle);

    private static Case Build(string[] prefix, string[][] groups, string[] canonical, int[] spellings, int[] order,
        string[] operands, bool[] interleave, bool[] bundle)
    {
        var chosen = Enumerable.Range(0, groups.Length).Where(g => spellings[g] > 0).OrderBy(g => order[g]).ToArray();
        var words = new List<string>(prefix);
        int nextOption = 0, nextOperand = 0, step = 0;
        while (nextOption < chosen.Length || nextOperand < operands.Length)
        {
            var takeOption = nextOperand >= operands.Length || (nextOption < chosen.Length && interleave[step % interleave.Length]);
            if (takeOption)
            {
                var group = groups[chosen[nextOption++]];
                var word = group[(spellings[chosen[nextOption - 1]] - 1) % group.Length];
                var previous = words.Count > prefix.Length ? words[^1] : null;
                // Bundle a one-letter flag into the previous cluster of one-letter flags.
                if (bundle[step % bundle.Length] && IsShortFlag(word) && previous is not null && IsCluster(previous))
                    words[^1] = previous + word[1];
                else
                    words.Add(word);
            }
            else
            {
                words.Add(operands[nextOperand++]);
            }
            step++;
        }
        return new Case([.. words], chosen.Select(g => canonical[g]).ToHashSet(StringComparer.Ordinal), operands);
    }

    private static bool IsShortFlag(string word) => word.Length == 2 && word[0] == '-' && word[1] != '-';

    private static bool IsCluster(string word) => word.Length >= 2 && word[0] == '-' && word[1] != '-' && word.Skip(1).All(char.IsAsciiLetter);

    [Fact]
    public void Rm_reads_the_same_however_its_options_are_written()
    {
        Commands(["rm"], RmOptions, RmCanonical, Gen.OneOf(Operands.Where(o => o != "-").ToArray()).Array[1, 3])
            .Sample(testCase =>
            {
                var shape = CommandClassifier.Default.Describe(testCase.Argv);
                Assert.Equal(testCase.Options, shape.Options.Select(o => o.Name).ToHashSet(StringComparer.Ordinal));
                Assert.Equal(testCase.Operands, shape.Operands);

                var destructive = testCase.Options.Contains("--recursive") || testCase.Options.Contains("--force");
                var risk = CommandClassifier.Default.Classify(testCase.Argv).Risk;
                Assert.Equal(destructive ? CommandRisk.Destructive : CommandRisk.WorkspaceWrite, risk);
            }, iter: Iterations, threads: 1);
    }

    private static readonly string[][] PushOptions = [["-f", "--force"], ["-d", "--delete"], ["-u", "--set-upstream"], ["--no-verify"], ["-q", "--quiet"], ["--tags"]];
    private static readonly string[] PushCanonical = ["--force", "--delete", "--set-upstream", "--no-verify", "--quiet", "--tags"];

    private static readonly Gen<string[]> GitGlobals =
        from directory in Gen.Bool
        from config in Gen.Bool
        from pager in Gen.Int[0, 2]
        select new[] { "git" }
            .Concat(directory ? ["-C", "."] : [])
            .Concat(config ? ["-c", "core.pager=less"] : [])
            .Concat(pager switch { 1 => ["--no-pager"], 2 => ["-P"], _ => [] })
            .Append("push").ToArray();

    [Fact]
    public void Git_push_reads_the_same_after_any_global_options_and_with_flags_anywhere()
    {
        var gen =
            from prefix in GitGlobals
            from testCase in Commands([], PushOptions, PushCanonical, Gen.OneOf("origin", "main", "feature/x", "HEAD").Array[0, 3])
            select testCase with { Argv = [.. prefix, .. testCase.Argv] };

        gen.Sample(testCase =>
        {
            var shape = CommandClassifier.Default.Describe(testCase.Argv);
            Assert.Equal(["push"], shape.Subcommands);
            Assert.Equal(testCase.Options, shape.Options.Where(o => o.Level == 1).Select(o => o.Name).ToHashSet(StringComparer.Ordinal));
            Assert.Equal(testCase.Operands, shape.Operands);

            var destructive = testCase.Options.Contains("--force") || testCase.Options.Contains("--delete");
            var classification = CommandClassifier.Default.Classify(testCase.Argv);
            // -c core.pager=… names a program, so the command is an escape hatch; otherwise push is network unless it forces or deletes.
            var expected = destructive ? CommandRisk.Destructive
                : testCase.Argv.Contains("-c") ? CommandRisk.Unknown : CommandRisk.Network;
            Assert.Equal(expected, classification.Risk);
        }, iter: Iterations, threads: 1);
    }
}
