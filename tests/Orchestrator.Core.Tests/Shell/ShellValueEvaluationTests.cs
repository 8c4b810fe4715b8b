using Orchestrator.Core.Shell;
using static Orchestrator.Core.Tests.Shell.ShellTestHelpers;

namespace Orchestrator.Core.Tests.Shell;

/// <summary>
/// Where bash evaluates values as code (arithmetic on variables, subscripts, indirection): a value like
/// <c>a[$(cmd)]</c> runs <c>cmd</c> there. The parse reports each such place; numbers and plain names do not.
/// </summary>
public class ShellValueEvaluationTests
{
    [Theory]
    [InlineData("echo $((x))")]
    [InlineData("echo $(( x + 1 ))")]
    [InlineData("echo \"$(( $n * 2 ))\"")]
    [InlineData("echo $((a[1]))")]
    [InlineData("echo ${a[i]}")]
    [InlineData("echo ${a[$i]}")]
    [InlineData("echo ${#a[i]}")]
    [InlineData("echo ${x:n}")]
    [InlineData("echo ${x:1:$n}")]
    [InlineData("echo ${x: -n}")]
    [InlineData("echo ${!x}")]
    [InlineData("echo ${!1}")]
    [InlineData("echo ${y:-${a[i]}}")]
    [InlineData("[[ x -eq 0 ]]")]
    [InlineData("[[ 1 -ne $n ]]")]
    [InlineData("[[ $(wc -l < f) -gt 5 ]]")]
    [InlineData("[[ -v a[i] ]]")]
    [InlineData("[[ -v $x ]]")]
    [InlineData("[[ -R r ]] && [[ -v \"$x\" ]]")]
    [InlineData("cat > ${a[i]}")]
    [InlineData("for f in $((x)); do :; done")]
    [InlineData("case $((x)) in 1) ;; esac")]
    [InlineData("x=${a[i]}")]
    [InlineData("cat <<EOF\n${a[i]}\nEOF")]
    [InlineData("echo $(echo $((x)))")]
    public void Evaluating_a_value_is_reported(string source) => Assert.NotEmpty(ParseUnderstood(source).ValueEvaluations);

    [Theory]
    [InlineData("echo $((1 + 2)) $((16#ff)) $((0x1F)) $((64#@_)) $(( (3 << 2) % 5 ))")]
    [InlineData("echo ${a[1]} ${a[-1]} ${a[@]} ${a[*]} ${#a[@]} ${!a[@]} ${!pre*} ${!pre@}")]
    [InlineData("echo ${x:1} ${x:1:2} ${x: -1} ${x:(-2)} ${x:-n} ${x:=n} ${x:+n} ${x:?n} ${x/a/b} ${x#n} ${x%n} ${#x}")]
    [InlineData("[[ 1 -eq 1 ]] && [[ -v a ]] && [[ -v a[0] ]] && [[ $x == n ]] && [[ $x =~ n ]] && [[ -n $x ]]")]
    [InlineData("cat <<'EOF'\n$((x)) ${!x}\nEOF")]
    [InlineData("echo '$((x))' \"\\${!x}\"")]
    public void Numbers_plain_names_and_other_expansions_are_not_evaluations(string source) =>
        Assert.Empty(ParseUnderstood(source).ValueEvaluations);

    [Theory]
    [InlineData("echo a &> f", "&>")]
    [InlineData("echo a &>> f", "&>>")]
    [InlineData("cat <<< a", "<<<")]
    [InlineData("[[ -f a ]]", "[[ ]]")]
    [InlineData("echo $'a'", "$'…'")]
    [InlineData("cat <(ls)", "<( )")]
    [InlineData("echo $\"hi\"", "$\"…\"")]
    [InlineData("ls > >(cat)", ">( )")]
    public void Bash_only_syntax_is_reported(string source, string syntax) =>
        Assert.Contains(syntax, ParseUnderstood(source).BashOnlySyntax);

    [Fact]
    public void Posix_syntax_reports_nothing_bash_only() =>
        Assert.Empty(ParseUnderstood("cat a 2>&1 >> b < c | wc -l && { echo \"$x\" 'y'; } || (ls) <<EOF\nbody\nEOF").BashOnlySyntax);
}
