using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

public class EnvironmentVariableTests
{
    private static readonly CommandClassifier Classifier = CommandClassifier.Default;

    [Theory]
    [InlineData("PATH")]
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_LIBRARY_PATH")]
    [InlineData("DYLD_INSERT_LIBRARIES")]
    [InlineData("BASH_ENV")]
    [InlineData("ENV")]
    [InlineData("PROMPT_COMMAND")]
    [InlineData("PS4")]
    [InlineData("IFS")]
    [InlineData("SHELLOPTS")]
    [InlineData("BASHOPTS")]
    [InlineData("GLOBIGNORE")]
    [InlineData("CDPATH")]
    [InlineData("GIT_SSH")]
    [InlineData("GIT_SSH_COMMAND")]
    [InlineData("GIT_EXTERNAL_DIFF")]
    [InlineData("GIT_PAGER")]
    [InlineData("GIT_EDITOR")]
    [InlineData("GIT_CONFIG_GLOBAL")]
    [InlineData("GIT_CONFIG_COUNT")]
    [InlineData("GIT_EXEC_PATH")]
    [InlineData("GIT_ASKPASS")]
    [InlineData("GIT_DIR")]
    [InlineData("GIT_WORK_TREE")]
    [InlineData("GIT_PROXY_COMMAND")]
    [InlineData("PAGER")]
    [InlineData("MANPAGER")]
    [InlineData("EDITOR")]
    [InlineData("VISUAL")]
    [InlineData("LESSOPEN")]
    [InlineData("LESSCLOSE")]
    [InlineData("PYTHONSTARTUP")]
    [InlineData("PYTHONPATH")]
    [InlineData("PYTHONHOME")]
    [InlineData("NODE_OPTIONS")]
    [InlineData("NODE_PATH")]
    [InlineData("PERL5OPT")]
    [InlineData("PERL5LIB")]
    [InlineData("RUBYOPT")]
    [InlineData("RUBYLIB")]
    [InlineData("JAVA_TOOL_OPTIONS")]
    [InlineData("_JAVA_OPTIONS")]
    [InlineData("GREP_OPTIONS")]
    [InlineData("TAR_OPTIONS")]
    [InlineData("RIPGREP_CONFIG_PATH")]
    [InlineData("HOME")]
    [InlineData("XDG_CONFIG_HOME")]
    public void Hijacking_variables_are_dangerous_with_a_reason(string name)
    {
        Assert.True(Classifier.IsDangerousEnvironmentVariable(name, out var reason), name);
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Theory]
    [InlineData("FOO")]
    [InlineData("LANG")]
    [InlineData("CI")]
    [InlineData("RUST_LOG")]
    [InlineData("path")]
    [InlineData("GIT_AUTHOR_NAME")]
    [InlineData("")]
    public void Ordinary_variables_are_not_dangerous(string name)
    {
        Assert.False(Classifier.IsDangerousEnvironmentVariable(name, out var reason));
        Assert.Equal("", reason);
    }

    [Fact]
    public void Prefix_assignment_of_a_dangerous_variable_makes_the_command_an_escape_hatch()
    {
        var result = Classifier.Classify(["ls"], ["LD_PRELOAD=/tmp/x.so"]);

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.True(result.IsEscapeHatch);
        Assert.Contains("LD_PRELOAD", result.Reason);
    }

    [Fact]
    public void Prefix_assignment_of_an_ordinary_variable_keeps_the_commands_risk()
    {
        var result = Classifier.Classify(["ls"], ["LC_ALL=C"]);

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.False(result.IsEscapeHatch);
    }

    [Fact]
    public void Prefix_assignment_does_not_lower_a_destructive_command()
    {
        Assert.Equal(CommandRisk.Destructive, Classifier.Classify(["rm", "-rf", "x"], ["PATH=/tmp"]).Risk);
    }

    [Fact]
    public void Bare_assignments_set_shell_variables()
    {
        Assert.Equal(CommandRisk.ReadOnly, Classifier.Classify([], ["X=1"]).Risk);
        Assert.Equal(CommandRisk.Unknown, Classifier.Classify([], ["PATH=/tmp"]).Risk);
    }
}
