using Orchestrator.Core.Classification;
using static Orchestrator.Core.Tests.Classification.ClassifierFixture;

namespace Orchestrator.Core.Tests.Classification;

public class WrapperAndScriptTests
{
    [Theory]
    [InlineData("timeout 10 rm -rf x", "rm -rf x")]
    [InlineData("timeout -s KILL -k 5 10s make test", "make test")]
    [InlineData("timeout --signal=TERM 1m ls", "ls")]
    [InlineData("nice -n 10 make", "make")]
    [InlineData("nice -5 ls", "ls")]
    [InlineData("nohup ./server", "./server")]
    [InlineData("time -p ls -l", "ls -l")]
    [InlineData("stdbuf -oL grep x", "grep x")]
    [InlineData("command rm x", "rm x")]
    [InlineData("builtin cd /", "cd /")]
    [InlineData("exec python3 app.py", "python3 app.py")]
    [InlineData("env FOO=1 BAR=2 make", "make")]
    [InlineData("env -i PATHX=1 ls", "ls")]
    [InlineData("env -u HOME ls", "ls")]
    [InlineData("env -- ls", "ls")]
    [InlineData("timeout -- 5 ls", "ls")]
    public void Wrappers_return_the_wrapped_command(string commandLine, string inner)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.Equal("wrapper", result.Reason);
        var wrapped = Assert.Single(result.InnerCommands);
        Assert.Equal(Words.Split(inner), wrapped.Argv);
        Assert.Equal(commandLine, string.Join(' ', Words.Split(commandLine)[..wrapped.Start].Append(string.Join(' ', wrapped.Argv))));
    }

    [Fact]
    public void Env_with_chdir_reports_the_inner_working_directory()
    {
        var result = Classify("env -C /tmp ls");

        var wrapped = Assert.Single(result.InnerCommands);
        Assert.Equal(new[] { "ls" }, wrapped.Argv);
        Assert.Equal("/tmp", wrapped.WorkingDirectory);
    }

    [Fact]
    public void Env_setting_a_dangerous_variable_is_an_escape_hatch()
    {
        var result = Classify("env LD_PRELOAD=/tmp/x.so ls");

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.True(result.IsEscapeHatch);
        Assert.Contains("LD_PRELOAD", result.Reason);
        Assert.Equal(new[] { "ls" }, Assert.Single(result.InnerCommands).Argv);
    }

    [Fact]
    public void Env_setting_an_exported_function_is_an_escape_hatch()
    {
        var result = Classify("env 'BASH_FUNC_ls%%=() { id; }' bash -c ls");

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.True(result.IsEscapeHatch);
        Assert.Equal(new[] { "bash", "-c", "ls" }, Assert.Single(result.InnerCommands).Argv);
    }

    [Theory]
    [InlineData("command -v git")]
    [InlineData("command -V ls")]
    [InlineData("env")]
    [InlineData("env -i")]
    [InlineData("nice")]
    [InlineData("timeout --help")]
    public void Wrappers_without_a_command_are_queries(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.Empty(result.InnerCommands);
    }

    [Theory]
    [InlineData("bash -c 'rm -rf /'", "rm -rf /")]
    [InlineData("sh -c 'echo hi'", "echo hi")]
    [InlineData("dash -c ls", "ls")]
    [InlineData("zsh -c ls", "ls")]
    [InlineData("ksh -c ls", "ls")]
    [InlineData("bash -lc 'make test'", "make test")]
    [InlineData("bash -ec 'ls'", "ls")]
    [InlineData("bash -xc 'ls'", "ls")]
    [InlineData("sh -c -- 'ls -l'", "ls -l")]
    [InlineData("bash -o pipefail -c 'a | b'", "a | b")]
    [InlineData("bash --norc --noprofile -c ls", "ls")]
    [InlineData("/bin/sh -c 'ls' argv0 arg1", "ls")]
    [InlineData("eval 'ls -l'", "ls -l")]
    [InlineData("eval ls -l", "ls -l")]
    public void Shells_with_c_and_eval_return_the_inner_script(string commandLine, string script)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.Equal(script, result.InnerScript);
        Assert.Empty(result.InnerCommands);
    }

    [Theory]
    [InlineData("bash file.sh")]
    [InlineData("sh")]
    [InlineData("bash -s")]
    [InlineData("bash -c")]
    [InlineData("source ./env")]
    [InlineData(". ./env")]
    public void Shells_without_an_inline_script_are_unknown(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.Null(result.InnerScript);
    }

    [Fact]
    public void Shell_version_is_read_only()
    {
        Assert.Equal(CommandRisk.ReadOnly, Classify("bash --version").Risk);
    }

    [Theory]
    [InlineData("cd src", "src")]
    [InlineData("cd -P ../other", "../other")]
    [InlineData("cd -- -dir", "-dir")]
    [InlineData("pushd /tmp", "/tmp")]
    [InlineData("cd", "~")]
    public void Directory_changes_report_the_target(string commandLine, string target)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.Equal(target, result.ChangesDirectoryTo);
    }

    [Theory]
    [InlineData("cd -")]
    [InlineData("pushd")]
    [InlineData("popd")]
    public void Directory_changes_to_remembered_directories_are_unknown(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.Null(result.ChangesDirectoryTo);
    }

    [Theory]
    [InlineData("export FOO=1")]
    [InlineData("declare -x NAME=value")]
    [InlineData("local x=1")]
    [InlineData("export PATH")]
    [InlineData("read -r line")]
    [InlineData("printf -v out '%s' x")]
    public void Harmless_variable_builtins_are_read_only(string commandLine)
    {
        Assert.Equal(CommandRisk.ReadOnly, Classify(commandLine).Risk);
    }

    [Theory]
    [InlineData("export PATH=/tmp:/usr/bin")]
    [InlineData("export BASH_ENV=/tmp/x")]
    [InlineData("declare -x LD_PRELOAD=/tmp/x.so")]
    [InlineData("let IFS=1")]
    [InlineData("read PATH")]
    [InlineData("read -r -a BASH_ENV")]
    [InlineData("readarray PROMPT_COMMAND")]
    [InlineData("printf -v PATH '%s' /tmp")]
    public void Variable_builtins_setting_dangerous_variables_are_escape_hatches(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.True(result.IsEscapeHatch);
    }
}
