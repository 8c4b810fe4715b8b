using Orchestrator.Core.Classification;
using static Orchestrator.Core.Tests.Classification.ClassifierFixture;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>
/// Options of otherwise read-only programs that run programs, write files, or connect, in every spelling the program
/// accepts: long and short, attached and separate values, abbreviated long options, and short-option clusters.
/// </summary>
public class SafeProgramOptionTests
{
    [Theory]
    // rg (Codex's unsafe list, plus what rg itself documents)
    [InlineData("rg --pre ./evil pattern", "--pre")]
    [InlineData("rg --pre=./evil pattern", "--pre")]
    [InlineData("rg --pr=./evil pattern", "--pre")]
    [InlineData("rg --hostname-bin ./evil pattern", "--hostname-bin")]
    [InlineData("rg --hostname-bin=./evil pattern", "--hostname-bin")]
    [InlineData("rg --hostname=./evil pattern", "--hostname-bin")]
    [InlineData("rg -z pattern", "--search-zip")]
    [InlineData("rg -iz pattern", "--search-zip")]
    [InlineData("rg -zi pattern", "--search-zip")]
    [InlineData("rg --search-zip pattern", "--search-zip")]
    [InlineData("rg --search-z pattern", "--search-zip")]
    [InlineData("rg pattern src -z", "--search-zip")]
    // file
    [InlineData("file -z archive.gz", "--uncompress")]
    [InlineData("file -bz archive.gz", "--uncompress")]
    [InlineData("file -Z archive.gz", "--uncompress")]
    [InlineData("file --uncompress archive.gz", "--uncompress")]
    [InlineData("file --uncompress-noreport archive.gz", "--uncompress")]
    // less / more
    [InlineData("less -k keys file", "--lesskey-file")]
    [InlineData("less -kkeys file", "--lesskey-file")]
    [InlineData("less --lesskey-file=keys file", "--lesskey-file")]
    [InlineData("less --lesskey-src keys file", "--lesskey-file")]
    [InlineData("less --lesskey-content='#env\nLESSOPEN=|id' file", "--lesskey-file")]
    [InlineData("more -k keys file", "--lesskey-file")]
    [InlineData("zless -k keys file.gz", "--lesskey-file")]
    [InlineData("more '+!id' file", "more +COMMAND")]
    // man, git, npm, pip, uv, go, cargo, docker, kubectl, apt, rpm, env, sort, yq, curl, wget
    [InlineData("man -X ls", "man -X")]
    [InlineData("man --gxditview=100 ls", "man -X")]
    [InlineData("git help -w log", "--web")]
    [InlineData("git help --web log", "--web")]
    [InlineData("git help --we log", "--web")]
    [InlineData("git config --get --edit", "--edit")]
    [InlineData("git branch --edit-description", "--edit-description")]
    [InlineData("git apply --unsafe-paths p.diff", "--unsafe-paths")]
    [InlineData("git send-email --smtp-server=/tmp/evil a.patch", "--smtp-server")]
    [InlineData("git send-email --sendmail-cmd 'sh -c id' a.patch", "--*-cmd")]
    [InlineData("git daemon --access-hook=./hook", "--access-hook")]
    [InlineData("git rebase --exec 'make test' main", "--exec")]
    [InlineData("git rebase -x'make test' main", "--exec")]
    [InlineData("git -p log", "--paginate")]
    [InlineData("git --paginate status", "--paginate")]
    [InlineData("git --work-tree=/tmp status", "--work-tree")]
    [InlineData("npm version patch", "npm version NEWVERSION")]
    [InlineData("npm help install", "viewer")]
    [InlineData("npm ls --script-shell ./evil", "npm setting")]
    [InlineData("npm --userconfig=./npmrc ls", "npm setting")]
    [InlineData("yarn why left-pad --git=./evil", "npm setting")]
    [InlineData("pip list --python ./evil", "--python")]
    [InlineData("pip --python=./evil list", "--python")]
    [InlineData("uv pip list --python ./evil", "--python")]
    [InlineData("uv pip list -p ./evil", "--python")]
    [InlineData("uv version --bump patch", "--bump")]
    [InlineData("uv version 2.0.0", "uv version VERSION")]
    [InlineData("go list -toolexec ./evil ./...", "-toolexec")]
    [InlineData("go list -toolexec=./evil ./...", "-toolexec")]
    [InlineData("go list --toolexec=./evil ./...", "-toolexec")]
    [InlineData("cargo --config build.rustc-wrapper=./evil version", "cargo --config")]
    [InlineData("cargo version --config=build.rustc=./evil", "cargo --config")]
    [InlineData("docker --config ./cfg ps", "docker --config")]
    [InlineData("kubectl --kubeconfig ./kc get pods", "--kubeconfig")]
    [InlineData("kubectl get pods --kubeconfig=./kc", "--kubeconfig")]
    [InlineData("apt show -o APT::Update::Pre-Invoke::=id curl", "apt -o")]
    [InlineData("apt-cache -c ./apt.conf policy", "config-file")]
    [InlineData("rpm -q --eval '%(id)' bash", "rpm macros")]
    [InlineData("rpm -q --define='_dbpath %(id)' bash", "rpm macros")]
    [InlineData("rpm -qa --pipe 'sh -c id'", "rpm macros")]
    [InlineData("env -P /tmp/bin ls", "env -P")]
    [InlineData("yq -s '.name' file.yml", "--split-exp")]
    [InlineData("yq --split-exp=.name file.yml", "--split-exp")]
    [InlineData("curl -K ./opts https://example.com", "curl --config")]
    [InlineData("curl --config=./opts https://example.com", "curl --config")]
    [InlineData("curl -w '%output{/tmp/x}%{http_code}' https://example.com", "--write-out")]
    [InlineData("curl --write-out=%output{x} https://example.com", "--write-out")]
    [InlineData("curl --engine ./evil.so https://example.com", "--engine")]
    [InlineData("curl file:///etc/shadow", "file://")]
    [InlineData("wget --config=./rc https://example.com", "wget --execute")]
    public void Options_that_run_programs_are_unknown_escape_hatches(string commandLine, string reasonPart)
    {
        var result = Classify(commandLine);

        Assert.True(result.Risk >= CommandRisk.Unknown, $"{commandLine}: {result.Risk} ({result.Reason})");
        Assert.True(result.IsEscapeHatch, $"{commandLine}: not an escape hatch ({result.Reason})");
        Assert.Contains(reasonPart, result.Reason);
    }

    [Theory]
    [InlineData("base64 -o out.b64 in", "out.b64")]
    [InlineData("base64 -oout.b64 in", "out.b64")]
    [InlineData("base64 -do out.bin in", "out.bin")]
    [InlineData("base64 --output out.b64 in", "out.b64")]
    [InlineData("base64 --output=out.b64 in", "out.b64")]
    [InlineData("base64 --out=out.b64 in", "out.b64")]
    [InlineData("base32 -o out in", "out")]
    [InlineData("basenc --base64 -o out in", "out")]
    [InlineData("sort -o sorted.txt in", "sorted.txt")]
    [InlineData("sort -osorted.txt in", "sorted.txt")]
    [InlineData("sort -uo sorted.txt in", "sorted.txt")]
    [InlineData("sort --output=sorted.txt in", "sorted.txt")]
    [InlineData("sort --out sorted.txt in", "sorted.txt")]
    [InlineData("sort -T /var/tmp big", "/var/tmp")]
    [InlineData("sort --temporary-directory=/var/tmp big", "/var/tmp")]
    [InlineData("tree -o listing.txt", "listing.txt")]
    [InlineData("tree -ao listing.txt", "listing.txt")]
    [InlineData("less -o log.txt file", "log.txt")]
    [InlineData("less -Olog.txt file", "log.txt")]
    [InlineData("less --log-file=log.txt file", "log.txt")]
    [InlineData("less --LOG-FILE log.txt file", "log.txt")]
    [InlineData("more -o log.txt file", "log.txt")]
    [InlineData("sdiff -o merged a b", "merged")]
    [InlineData("sdiff --output=merged a b", "merged")]
    [InlineData("uniq in out", "out")]
    [InlineData("uniq -c in out", "out")]
    [InlineData("uniq --group in out", "out")]
    [InlineData("uniq --all-repeated=separate in out", "out")]
    [InlineData("xxd in out.hex", "out.hex")]
    [InlineData("xxd -r patch.hex target.bin", "target.bin")]
    [InlineData("xxd -r -s 16 patch.hex target.bin", "target.bin")]
    [InlineData("info -o out.txt coreutils", "out.txt")]
    [InlineData("info --dribble=keys.txt coreutils", "keys.txt")]
    [InlineData("zstdcat -o out.txt in.zst", "out.txt")]
    [InlineData("journalctl --cursor-file=cursor -n 5", "cursor")]
    [InlineData("pip list --log pip.log", "pip.log")]
    [InlineData("pip --log=pip.log list", "pip.log")]
    [InlineData("git log --output=log.txt", "log.txt")]
    [InlineData("git log --out log.txt", "log.txt")]
    [InlineData("git diff --output /tmp/git-diff-out", "/tmp/git-diff-out")]
    [InlineData("git archive -o out.tar HEAD", "out.tar")]
    [InlineData("git archive --output=out.tar HEAD", "out.tar")]
    [InlineData("git format-patch -o patches HEAD~2", "patches")]
    [InlineData("git format-patch --output-directory=patches HEAD~2", "patches")]
    [InlineData("git merge-file ours base theirs", "ours")]
    [InlineData("tar -tf a.tar --index-file=index.txt", "index.txt")]
    public void Options_that_write_a_file_report_the_file_as_a_write(string commandLine, string written)
    {
        var result = Classify(commandLine);

        Assert.True(result.Risk >= CommandRisk.WorkspaceWrite, $"{commandLine}: {result.Risk} ({result.Reason})");
        Assert.Contains(new PathAccess(written, PathAccessKind.Write), result.Paths);
    }

    [Theory]
    [InlineData("tree -R -H . -L 1", "00Tree.html")]
    [InlineData("tree -aR -H . -L 1", "00Tree.html")]
    [InlineData("file -C -m magic", "compiled magic")]
    [InlineData("file --compile -m magic", "compiled magic")]
    [InlineData("git hash-object -w file", "hash-object -w")]
    [InlineData("git fsck --lost-found", "lost-found")]
    [InlineData("git apply --stat --apply p.diff", "--apply")]
    public void Options_that_write_files_they_do_not_name_are_writes(string commandLine, string reasonPart)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.WorkspaceWrite, result.Risk);
        Assert.Contains(reasonPart, result.Reason);
    }

    [Theory]
    [InlineData("git reflog expire --expire=now --all", "reflog expire")]
    [InlineData("git reflog delete HEAD@{1}", "reflog expire")]
    [InlineData("git prune", "git prune")]
    [InlineData("git gc --prune=now", "--prune")]
    [InlineData("git gc --prune", "--prune")]
    [InlineData("git update-ref -d refs/heads/x", "update-ref -d")]
    [InlineData("git maintenance start", "scheduled jobs")]
    [InlineData("git rm -rf src", "git rm --force")]
    [InlineData("git worktree remove --force ../wt", "worktree remove --force")]
    [InlineData("git checkout -f main", "checkout --force")]
    [InlineData("git switch --discard-changes main", "discard")]
    [InlineData("tar -cf a.tar --remove-files src", "--remove-files")]
    [InlineData("tar -xf a.tar --recursive-unlink", "--recursive-unlink")]
    [InlineData("journalctl --vacuum-time=1s", "vacuum")]
    [InlineData("journalctl --setup-keys", "setup-keys")]
    [InlineData("pacman -Syu", "pacman")]
    [InlineData("pacman -S vim", "pacman")]
    [InlineData("pacman -Rns vim", "pacman")]
    [InlineData("docker run --privileged alpine", "--privileged")]
    [InlineData("kubectl delete pod x", "changes resources")]
    public void Options_that_destroy_data_are_destructive(string commandLine, string reasonPart)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.Destructive, result.Risk);
        Assert.Contains(reasonPart, result.Reason);
    }

    [Theory]
    [InlineData("pip list --outdated")]
    [InlineData("pip list -o")]
    [InlineData("uv pip list --outdated")]
    [InlineData("gem list --remote rails")]
    [InlineData("gem list -r rails")]
    [InlineData("go list -m -u all")]
    [InlineData("go list -m -versions golang.org/x/text")]
    [InlineData("systemctl -H host status nginx")]
    [InlineData("systemctl status nginx --host=host")]
    [InlineData("docker -H ssh://host ps")]
    [InlineData("apt changelog curl")]
    [InlineData("git remote add -f origin https://example.com/r.git")]
    [InlineData("git archive --remote=https://example.com/r.git HEAD")]
    [InlineData("kubectl get pods -n prod")]
    public void Options_that_connect_are_network(string commandLine)
    {
        Assert.Equal(CommandRisk.Network, Classify(commandLine).Risk);
    }

    [Theory]
    [InlineData("git -c color.ui=false log")]
    [InlineData("git -c Color.UI=always diff")]
    [InlineData("git -ccolor.ui=false status")]
    [InlineData("git -c core.quotepath=off status")]
    [InlineData("git -c user.name=x -c user.email=y log")]
    [InlineData("git -c advice.detachedHead=false status")]
    public void Git_configuration_that_names_no_program_is_no_escape_hatch(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.False(result.IsEscapeHatch, result.Reason);
    }

    [Theory]
    [InlineData("git -c core.pager=evil log")]
    [InlineData("git -c pager.log=evil log")]
    [InlineData("git -c core.fsmonitor=./evil status")]
    [InlineData("git -c safe.directory=* status")]
    [InlineData("git -c color.ui=false -c diff.external=./evil diff")]
    [InlineData("git -c user.nameX=1 -c core.sshCommand=evil log")]
    [InlineData("git -c")]
    public void Git_configuration_that_may_name_a_program_stays_an_escape_hatch(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.True(result.IsEscapeHatch);
    }
}
