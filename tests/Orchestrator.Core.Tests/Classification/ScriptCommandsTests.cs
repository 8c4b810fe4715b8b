using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>What <see cref="ScriptCommands"/> names, and what it says it cannot name.</summary>
public class ScriptCommandsTests
{
    private const string Home = "/home/u";
    private const string Work = "/work/proj";

    private static ScriptCommands Of(string script) => ScriptCommands.Of(script, CommandClassifier.Default, Home, Work);

    private static string[] Named(ScriptCommands commands) =>
        commands.Commands.Where(c => c.Argv.Count > 0).Select(c => $"{c.Depth}:{c}").ToArray();

    private static void FullyNamed(string script, params string[] expected)
    {
        var commands = Of(script);
        Assert.True(commands.FullyKnown, string.Join("; ", commands.Unknowns.Select(u => u.Reason)));
        Assert.Equal(expected, Named(commands));
    }

    private static ScriptUnknown NotFullyNamed(string script, ScriptUnknownKind kind)
    {
        var commands = Of(script);
        Assert.False(commands.FullyKnown, $"expected '{script}' not to be fully named; named {string.Join("; ", Named(commands))}");
        Assert.Contains(commands.Unknowns, u => u.Kind == kind);
        return commands.Unknowns.First(u => u.Kind == kind);
    }

    [Theory]
    [InlineData("env A=1 cat a", "0:env A=1 cat a", "0:cat a")]
    [InlineData("timeout 5 nice -n 1 cat a", "0:timeout 5 nice -n 1 cat a", "0:nice -n 1 cat a", "0:cat a")]
    [InlineData("command -p cat a", "0:command -p cat a", "0:cat a")]
    [InlineData("nohup cat a", "0:nohup cat a", "0:cat a")]
    [InlineData("exec -a x cat a", "0:exec -a x cat a", "0:cat a")]
    [InlineData("find . -exec cat {} \\;", "0:find . -exec cat {} ;", "0:cat ")]
    [InlineData("echo $(cat a) | ls", "0:echo $(cat a)", "0:cat a", "0:ls")]
    [InlineData("bash -c 'cat a; sh -c \"ls b\"'", "0:bash -c cat a; sh -c \"ls b\"", "1:cat a", "1:sh -c ls b", "2:ls b")]
    [InlineData("eval 'cat a'", "0:eval cat a", "1:cat a")]
    [InlineData("trap 'cat a' EXIT", "0:trap cat a EXIT", "1:cat a")]
    [InlineData("trap -- 'rm -f t' EXIT INT", "0:trap -- rm -f t EXIT INT", "1:rm -f t")]
    [InlineData("bash <<'EOF'\ncat a\nEOF", "0:bash", "1:cat a")]
    [InlineData("sh -s <<< 'cat a'", "0:sh -s", "1:cat a")]
    [InlineData("bash <<EOF\ncat ~/a\nEOF", "0:bash", "1:cat ~/a")]
    [InlineData("bash x.sh <<EOF\ncat a\nEOF", "0:bash x.sh")]
    [InlineData("{cat,a}", "0:cat a")]
    [InlineData("echo {,} {a,} x{,}", "0:echo a x x")]
    [InlineData("$'\\x63at' a", "0:cat a")]
    [InlineData("cat ~+/a $HOME/b", "0:cat /work/proj/a /home/u/b")]
    [InlineData("cd sub && cat \"$PWD/a\"", "0:cd sub", "0:cat /work/proj/sub/a")]
    [InlineData("env FOO=\"$x\" cat a", "0:env FOO=\"$x\" cat a", "0:cat a")]
    [InlineData("env -uSECRET -u S cat a", "0:env -uSECRET -u S cat a", "0:cat a")]
    [InlineData("xargs -n \"$n\" cat a", "0:xargs -n \"$n\" cat a", "0:cat a", "0:cat a ")]
    [InlineData("find . -name \"$x\" -exec cat {} +", "0:find . -name \"$x\" -exec cat {} +", "0:cat ")]
    [InlineData("zsh -lc 'git status'", "0:zsh -lc git status", "1:git status")]
    [InlineData("sh -c 'find . -exec cat {} +'", "0:sh -c find . -exec cat {} +", "1:find . -exec cat {} +", "1:cat ")]
    [InlineData("echo $((1 + 2)) ${a[1]} ${a[@]} ${!a[@]} ${!pre*} ${x:1:2} ${x:-d} ${#x}", "0:echo $((1 + 2)) ${a[1]} ${a[@]} ${!a[@]} ${!pre*} ${x:1:2} ${x:-d} ${#x}")]
    [InlineData("let n=2; declare x=1; read -r line; printf -v out %s x; unset v; test -v v", "0:let n=2", "0:declare x=1", "0:read -r line", "0:printf -v out %s x", "0:unset v", "0:test -v v")]
    public void Names_every_command_a_script_runs(string script, params string[] expected) => FullyNamed(script, expected);

    [Fact]
    public void A_command_another_runs_knows_its_runner_and_where_it_starts()
    {
        var commands = Of("timeout 5 cat a");
        var inner = commands.Commands[1];
        Assert.Same(commands.Commands[0], inner.Runner);
        Assert.Equal(2, inner.StartInRunner);
        Assert.Equal("timeout 5 cat a", inner.Text);
        Assert.Null(inner.Source);
    }

    [Fact]
    public void A_command_starts_in_the_directory_before_its_own_cd()
    {
        var commands = Of("cd sub > out; ls");
        Assert.Equal(Work, commands.Commands[0].Directory.Current);
        Assert.Equal(Work + "/sub", commands.Commands[1].Directory.Current);
    }

    [Theory]
    [InlineData("$p a")]
    [InlineData("c?t a")]
    [InlineData("timeout 5 $p a")]
    [InlineData("t='5 cat'; timeout $t a")]
    [InlineData("env \"$o\" cat a")]
    [InlineData("env $o cat a")]
    [InlineData("nice -n $n cat a")]
    [InlineData("find . \"$x\" cat a ';'")]
    [InlineData("find . -exec echo $x ';'")]
    [InlineData("find . -exec cat ?.txt {} ';'")]
    [InlineData("echo . | xargs find -exec cat a ';'")]
    [InlineData("xargs -I{} {} a")]
    [InlineData("env -S 'cat a' b")]
    [InlineData("env -iS'cat a'")]
    public void A_program_or_what_a_wrapper_runs_only_known_at_run_time_is_not_named(string script) =>
        NotFullyNamed(script, ScriptUnknownKind.RuntimeProgram);

    [Theory]
    [InlineData("eval \"$x\"")]
    [InlineData("sh -c \"$x\"")]
    [InlineData("trap \"$x\" EXIT")]
    [InlineData("find . -exec sh -c 'cat {}' \\;")]
    [InlineData("bash <<EOF\n$x\nEOF")]
    [InlineData("sh <<< \"$x\"")]
    public void A_script_only_known_at_run_time_is_not_named(string script) => NotFullyNamed(script, ScriptUnknownKind.RuntimeScript);

    [Theory]
    [InlineData("echo $((x))")]
    [InlineData("echo \"$(( $x + 1 ))\"")]
    [InlineData("echo ${a[i]}")]
    [InlineData("echo ${#a[$i]}")]
    [InlineData("echo ${x:n}")]
    [InlineData("echo ${x:0:$n}")]
    [InlineData("echo ${!x}")]
    [InlineData("echo ${y:-${a[i]}}")]
    [InlineData("[[ x -eq 0 ]]")]
    [InlineData("[[ $n -gt 1 ]]")]
    [InlineData("[[ -v a[i] ]]")]
    [InlineData("[[ -v $x ]]")]
    [InlineData("case 1 in $((x))) ;; esac")]
    [InlineData("for f in ${a[i]}; do :; done")]
    [InlineData("cat > ${a[i]}")]
    [InlineData("cat <<EOF\n$((x))\nEOF")]
    [InlineData("y=$((x)) ls")]
    [InlineData("let y=x")]
    [InlineData("let n+=1")]
    [InlineData("declare -i y")]
    [InlineData("local -in y")]
    [InlineData("declare -n r=x")]
    [InlineData("declare \"$x=1\"")]
    [InlineData("declare 'a[$(id)]=1'")]
    [InlineData("read 'a[$(id)]'")]
    [InlineData("read -a \"$x\"")]
    [InlineData("read \"$x\"")]
    [InlineData("printf -v 'a[$(id)]' x")]
    [InlineData("printf -v\"$x\" x")]
    [InlineData("unset 'a[i]'")]
    [InlineData("test -v \"$x\"")]
    [InlineData("[ -v 'a[$(id)]' ]")]
    [InlineData("getopts ab 'a[$(id)]'")]
    [InlineData("wait -p \"$x\"")]
    [InlineData("mapfile -C 'id' -c 1 v")]
    [InlineData("compgen -W '$(id)' x")]
    [InlineData("alias ls='rm -rf ~'")]
    [InlineData("hash -p /bin/rm ls")]
    [InlineData("enable -f ./x.so x")]
    [InlineData("fc -s")]
    [InlineData("command let y=x")]
    [InlineData("PS4='$(id)'; set -x")]
    [InlineData("export BASH_ENV=./x; bash -c true")]
    [InlineData("for PS4 in '$(id)'; do set -x; done")]
    [InlineData("read PROMPT_COMMAND")]
    [InlineData("env 'BASH_FUNC_ls%%=() { id; }' bash -c ls")]
    [InlineData("SHELLOPTS=xtrace bash -c true")]
    public void Code_bash_evaluates_from_values_is_not_named(string script) => NotFullyNamed(script, ScriptUnknownKind.HiddenCode);

    [Theory]
    [InlineData("sh -c '[[ x || cat a ]]'")]
    [InlineData("sh -c 'echo &>/dev/null cat a'")]
    [InlineData("sh -c \"echo \\$'\\\\'; cat a; #'\"")]
    [InlineData("dash -c 'cat <<< a'")]
    [InlineData("sh -c 'cat <(ls)'")]
    [InlineData("sh -c 'eval \"echo &>/dev/null cat a\"'")]
    [InlineData("zsh -c 'echo *(e:id:)'")]
    [InlineData("ksh -c 'echo $(id)'")]
    [InlineData("echo 'unterminated")]
    [InlineData("f() { id; }; f")]
    public void Scripts_the_parser_or_another_shell_reads_otherwise_are_not_understood(string script) =>
        NotFullyNamed(script, ScriptUnknownKind.NotUnderstood);

    [Fact]
    public void Scripts_nested_deeper_than_the_limit_are_not_named()
    {
        var script = "cat a";
        for (var i = 0; i <= ScriptCommands.MaxScriptDepth; i++) script = "eval '" + script.Replace("'", "'\\''") + "'";
        NotFullyNamed(script, ScriptUnknownKind.TooDeep);
    }

    [Theory]
    [InlineData("sh -c 'cat {a,b}'")]
    [InlineData("sh -c 'cat ~+/a'")]
    public void Words_dash_leaves_as_written_are_only_known_at_run_time_in_sh(string script)
    {
        var inner = Of(script).Commands.Single(c => c.Depth == 1);
        Assert.True(inner.Words.IsDynamic(1), inner.ToString());
    }

    [Theory]
    [InlineData("cat ~-/a")]
    [InlineData("cat ~root/a")]
    [InlineData("cat x=~+/a")]
    [InlineData("HOME=/tmp; cat ~/a")]
    [InlineData("export HOME=/tmp; cat \"$HOME/a\"")]
    [InlineData("HOME=/tmp; cat x=~/a")]
    public void Tilde_and_home_forms_only_the_running_shell_knows_are_dynamic(string script)
    {
        var cat = Of(script).Commands.Last(c => c.Program == "cat");
        Assert.True(cat.Words.IsDynamic(1), cat.ToString());
    }

    [Fact]
    public void A_script_that_may_assign_pwd_has_no_known_directory()
    {
        var commands = Of("PWD=/etc; cd .; cat shadow");
        Assert.All(commands.Commands, c => Assert.True(c.Directory.Unknown));
        Assert.Null(Of("HOME=/x; ls").HomeDirectory);
        Assert.Equal(Home, Of("echo $HOME ${HOME} ${#HOME}").HomeDirectory);
    }

    [Theory]
    [InlineData("bash -c 'echo a &> /dev/null cat b'")]
    [InlineData("zsh -lc 'ls -la'")]
    [InlineData("sh -c 'cat a && ls b | wc -l'")]
    public void Scripts_every_shell_reads_alike_are_named(string script) => Assert.True(Of(script).FullyKnown);
}
