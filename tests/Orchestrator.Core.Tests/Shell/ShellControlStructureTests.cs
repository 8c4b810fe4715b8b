using Orchestrator.Core.Shell;
using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

public class ShellControlStructureTests
{
    private static T OnlyCommand<T>(string source) where T : ShellCommand =>
        Assert.IsType<T>(Assert.Single(Assert.Single(Assert.Single(ParseUnderstood(source).Script.Lists).Pipelines).Commands));

    [Fact]
    public void If_then_fi_is_parsed()
    {
        var command = OnlyCommand<IfCommand>("if true; then echo a; fi");
        var branch = Assert.Single(command.Branches);
        Assert.Single(branch.Condition.Lists);
        Assert.Single(branch.Body.Lists);
        Assert.Null(command.Else);
        Assert.Equal(["true", "echo"], CommandNames(ParseUnderstood("if true; then echo a; fi")));
    }

    [Fact]
    public void If_with_elif_and_else_keeps_every_branch()
    {
        const string source = "if a\nthen b\nelif c; then d\nelse e\nfi";
        var command = OnlyCommand<IfCommand>(source);
        Assert.Equal(2, command.Branches.Count);
        Assert.NotNull(command.Else);
        Assert.Equal(["a", "b", "c", "d", "e"], CommandNames(ParseUnderstood(source)));
    }

    [Fact]
    public void For_loop_exposes_body_with_non_static_word()
    {
        var result = ParseUnderstood("for f in *.txt; do rm \"$f\"; done");
        var loop = Assert.IsType<ForCommand>(result.Script.Lists[0].Pipelines[0].Commands[0]);
        Assert.Equal("f", loop.Variable);
        Assert.True(Assert.Single(loop.Words!).HasUnquotedGlob);
        var rm = Assert.Single(result.SimpleCommands);
        Assert.Equal("rm", rm.Words[0].StaticValue);
        Assert.False(rm.Words[1].IsStatic);
    }

    [Fact]
    public void For_without_in_iterates_positional_parameters()
    {
        var loop = OnlyCommand<ForCommand>("for x; do echo $x; done");
        Assert.Null(loop.Words);
        Assert.Null(OnlyCommand<ForCommand>("for x\ndo echo; done").Words);
    }

    [Fact]
    public void For_word_list_substitutions_are_exposed()
    {
        Assert.Equal(["ls", "echo"], CommandNames(ParseUnderstood("for f in $(ls); do echo $f; done")));
    }

    [Fact]
    public void While_and_until_loops_are_parsed()
    {
        var loop = OnlyCommand<WhileCommand>("while read line; do echo \"$line\"; done < input");
        Assert.False(loop.Until);
        Assert.Single(loop.Redirections);
        Assert.True(OnlyCommand<WhileCommand>("until false; do sleep 1; done").Until);
    }

    [Fact]
    public void Case_items_keep_patterns_and_terminators()
    {
        var command = OnlyCommand<CaseCommand>("case $1 in\n  a|b) echo ab;;\n  (c) echo c ;&\n  *) rm x ;;&\n  d) ;;\nesac");
        Assert.Equal(4, command.Items.Count);
        Assert.Equal(["a", "b"], command.Items[0].Patterns.Select(pattern => pattern.Raw));
        Assert.Equal([";;", ";&", ";;&", ";;"], command.Items.Select(item => item.Terminator));
        Assert.Empty(command.Items[3].Body.Lists);
    }

    [Fact]
    public void Last_case_item_may_omit_its_terminator()
    {
        var command = OnlyCommand<CaseCommand>("case x in y) rm z\nesac");
        Assert.Equal("", Assert.Single(command.Items).Terminator);
        Assert.Equal(["rm"], CommandNames(ParseUnderstood("case x in y) rm z\nesac")));
    }

    [Fact]
    public void Subshell_and_brace_group_bodies_are_reachable()
    {
        var result = ParseUnderstood("(cd /tmp && rm a) ; { rm b; }");
        Assert.Equal(["cd", "rm", "rm"], CommandNames(result));
        Assert.IsType<Subshell>(result.Script.Lists[0].Pipelines[0].Commands[0]);
        Assert.IsType<BraceGroup>(result.Script.Lists[1].Pipelines[0].Commands[0]);
    }

    [Fact]
    public void Closing_brace_must_be_in_command_position()
    {
        ParseNotUnderstood("{ echo }");
        Assert.Equal(["echo }"], CommandLines(ParseUnderstood("{ echo }; }")));
    }

    [Fact]
    public void Double_bracket_test_treats_angle_brackets_as_operators()
    {
        var result = ParseUnderstood("[[ $a < b && -f x ]] && echo yes");
        var test = Assert.IsType<TestCommand>(result.Script.Lists[0].Pipelines[0].Commands[0]);
        Assert.Equal(["$a", "<", "b", "&&", "-f", "x"], test.Words.Select(word => word.Raw));
        Assert.Empty(test.Redirections);
        Assert.Equal(["echo"], CommandNames(result));
    }

    [Fact]
    public void Double_bracket_regex_keeps_parentheses_in_the_word()
    {
        var test = OnlyCommand<TestCommand>("[[ $x =~ ^(a|b)+$ ]]");
        Assert.Equal("^(a|b)+$", test.Words[^1].Raw);
    }

    [Fact]
    public void Double_bracket_substitutions_are_exposed()
    {
        Assert.Equal(["id"], CommandNames(ParseUnderstood("[[ -n $(id) ]]")));
    }

    [Fact]
    public void Control_structures_nest()
    {
        const string source = "for i in 1 2; do if [ $i = 1 ]; then while false; do :; done; else case $i in 2) (rm x);; esac; fi; done";
        Assert.Equal(["[", "false", ":", "rm"], CommandNames(ParseUnderstood(source)));
    }

    [Fact]
    public void Control_structure_inside_command_substitution_is_exposed()
    {
        Assert.Equal(["echo", "rm"], CommandNames(ParseUnderstood("echo $(for a in b; do rm $a; done)")));
    }

    [Fact]
    public void Compound_command_can_be_piped_and_backgrounded()
    {
        var list = Assert.Single(ParseUnderstood("while true; do date; done | head -1 &").Script.Lists);
        Assert.True(list.Background);
        Assert.Equal(2, list.Pipelines[0].Commands.Count);
    }
}
