using Orchestrator.Core.Classification;
using static Orchestrator.Core.Tests.Classification.ClassifierFixture;

namespace Orchestrator.Core.Tests.Classification;

public class RiskClassTests
{
    [Theory]
    [InlineData("ls -la src")]
    [InlineData("cat README.md")]
    [InlineData("head -n 5 file.txt")]
    [InlineData("tail -f log.txt")]
    [InlineData("wc -l a b")]
    [InlineData("grep -rn TODO src")]
    [InlineData("egrep 'a|b' file")]
    [InlineData("rg --files")]
    [InlineData("fd -e cs")]
    [InlineData("find . -name '*.cs' -type f")]
    [InlineData("tree -L 2")]
    [InlineData("pwd")]
    [InlineData("echo hello")]
    [InlineData("printf '%s\\n' x")]
    [InlineData("true")]
    [InlineData("[ -f x ]")]
    [InlineData("which git")]
    [InlineData("whoami")]
    [InlineData("date +%s")]
    [InlineData("uname -a")]
    [InlineData("df -h")]
    [InlineData("du -sh .")]
    [InlineData("stat file")]
    [InlineData("sort -u names.txt")]
    [InlineData("uniq -c")]
    [InlineData("cut -d: -f1 /etc/passwd")]
    [InlineData("tr a-z A-Z")]
    [InlineData("diff -u a b")]
    [InlineData("sha256sum file")]
    [InlineData("base64 -d blob")]
    [InlineData("jq .name package.json")]
    [InlineData("seq 1 10")]
    [InlineData("sleep 1")]
    [InlineData("ps aux")]
    [InlineData("sed -n 1,5p file")]
    [InlineData("awk '{ print $1 }' file")]
    [InlineData("git status")]
    [InlineData("git log --oneline -n 5")]
    [InlineData("git diff HEAD~1")]
    [InlineData("git branch")]
    [InlineData("git config --get user.name")]
    [InlineData("git stash list")]
    [InlineData("command -v git")]
    [InlineData("env")]
    [InlineData("tar -tzf archive.tgz")]
    [InlineData("python3 --version")]
    [InlineData("crontab -l")]
    [InlineData("kill -l")]
    [InlineData("systemctl status nginx")]
    [InlineData("unzip -l a.zip")]
    [InlineData("hostname")]
    public void Read_only_commands_are_read_only(string commandLine)
    {
        var result = Classify(commandLine);
        Assert.True(result.Risk == CommandRisk.ReadOnly, $"{commandLine}: {result.Risk} ({result.Reason})");
        Assert.False(result.IsEscapeHatch);
    }

    [Theory]
    [InlineData("touch a")]
    [InlineData("mkdir -p build/out")]
    [InlineData("cp a b")]
    [InlineData("mv a b")]
    [InlineData("ln -s a b")]
    [InlineData("tee out.txt")]
    [InlineData("patch -p1 -i fix.diff")]
    [InlineData("chmod +x run.sh")]
    [InlineData("truncate -s 0 log")]
    [InlineData("rm file.txt")]
    [InlineData("rmdir empty")]
    [InlineData("tar -xzf a.tgz")]
    [InlineData("tar xzf a.tgz")]
    [InlineData("unzip a.zip")]
    [InlineData("git add .")]
    [InlineData("git commit -m message")]
    [InlineData("git checkout main")]
    [InlineData("git switch -c feature")]
    [InlineData("git restore file")]
    [InlineData("git stash")]
    [InlineData("git merge topic")]
    [InlineData("git rebase main")]
    [InlineData("git branch -d old")]
    [InlineData("git branch topic")]
    [InlineData("git tag v1.0")]
    [InlineData("git apply fix.patch")]
    [InlineData("git cherry-pick abc123")]
    [InlineData("rsync -a src/ dst/")]
    public void Workspace_writers_are_workspace_write(string commandLine)
    {
        var result = Classify(commandLine);
        Assert.True(result.Risk == CommandRisk.WorkspaceWrite, $"{commandLine}: {result.Risk} ({result.Reason})");
    }

    [Theory]
    [InlineData("curl https://example.com")]
    [InlineData("wget https://example.com/a.tgz")]
    [InlineData("ssh host uptime")]
    [InlineData("scp a host:b")]
    [InlineData("rsync -a src/ host:dst/")]
    [InlineData("rsync rsync://mirror/module/ dst/")]
    [InlineData("nc -z host 80")]
    [InlineData("ping -c 1 host")]
    [InlineData("dig example.com")]
    [InlineData("git clone https://example.com/r.git")]
    [InlineData("git fetch origin")]
    [InlineData("git pull")]
    [InlineData("git push origin main")]
    [InlineData("git ls-remote origin")]
    [InlineData("git submodule update --init")]
    [InlineData("npm install")]
    [InlineData("yarn add left-pad")]
    [InlineData("pnpm ci")]
    [InlineData("pip install requests")]
    [InlineData("pip3 install -r requirements.txt")]
    [InlineData("uv pip install requests")]
    [InlineData("cargo install ripgrep")]
    [InlineData("go get example.com/m")]
    [InlineData("go mod download")]
    [InlineData("gem install rails")]
    [InlineData("docker pull alpine")]
    public void Network_commands_are_network(string commandLine)
    {
        var result = Classify(commandLine);
        Assert.True(result.Risk == CommandRisk.Network, $"{commandLine}: {result.Risk} ({result.Reason})");
    }

    [Theory]
    [InlineData("rm -rf build")]
    [InlineData("rm -r dir")]
    [InlineData("rm -f file")]
    [InlineData("rm --recursive dir")]
    [InlineData("rm --force file")]
    [InlineData("dd if=/dev/zero of=/dev/sda")]
    [InlineData("mkfs.ext4 /dev/sdb1")]
    [InlineData("fdisk /dev/sda")]
    [InlineData("shred secret")]
    [InlineData("shutdown -h now")]
    [InlineData("reboot")]
    [InlineData("systemctl stop nginx")]
    [InlineData("kill -9 1234")]
    [InlineData("pkill node")]
    [InlineData("chown -R me dir")]
    [InlineData("chmod -R 777 .")]
    [InlineData("crontab file")]
    [InlineData("useradd bob")]
    [InlineData("iptables -F")]
    [InlineData("mount /dev/sdb1 /mnt")]
    [InlineData("sudo ls")]
    [InlineData("su -")]
    [InlineData("doas ls")]
    [InlineData("git reset --hard HEAD~1")]
    [InlineData("git clean -fdx")]
    [InlineData("git push --force origin main")]
    [InlineData("git push -f")]
    [InlineData("git push --force-with-lease")]
    [InlineData("git push origin +main")]
    [InlineData("git branch -D topic")]
    [InlineData("apt-get install -y curl")]
    [InlineData("apt remove vim")]
    [InlineData("dpkg -i pkg.deb")]
    public void Destructive_commands_are_destructive(string commandLine)
    {
        var result = Classify(commandLine);
        Assert.True(result.Risk == CommandRisk.Destructive, $"{commandLine}: {result.Risk} ({result.Reason})");
    }

    [Theory]
    [InlineData("frobnicate --now")]
    [InlineData("./build.sh")]
    [InlineData("python3 -c 'print(1)'")]
    [InlineData("python script.py")]
    [InlineData("node -e 'process.exit(1)'")]
    [InlineData("node --eval x")]
    [InlineData("node -p 1+1")]
    [InlineData("perl -e 'unlink glob q(*)'")]
    [InlineData("perl -E say")]
    [InlineData("ruby -e 'puts 1'")]
    [InlineData("php -r 'echo 1;'")]
    [InlineData("lua -e 'print(1)'")]
    [InlineData("pwsh -c Get-Date")]
    [InlineData("osascript -e 'beep'")]
    [InlineData("make")]
    [InlineData("npm run build")]
    [InlineData("npm test")]
    [InlineData("dotnet test")]
    [InlineData("cargo build")]
    [InlineData("cargo test")]
    [InlineData("go build ./...")]
    [InlineData("go test ./...")]
    [InlineData("go run main.go")]
    [InlineData("pytest -q")]
    [InlineData("bash script.sh")]
    [InlineData("bash")]
    [InlineData("source env.sh")]
    [InlineData(". ./env.sh")]
    [InlineData("git frobnicate")]
    [InlineData("git config core.pager less")]
    public void Code_runners_and_unknown_programs_are_unknown(string commandLine)
    {
        var result = Classify(commandLine);
        Assert.True(result.Risk == CommandRisk.Unknown, $"{commandLine}: {result.Risk} ({result.Reason})");
    }

    [Fact]
    public void Program_is_classified_by_basename_of_a_path()
    {
        var result = Classify("/bin/rm -rf x");

        Assert.Equal(CommandRisk.Destructive, result.Risk);
        Assert.Equal("rm", result.Program);
        Assert.Contains(new PathAccess("x", PathAccessKind.Write), result.Paths);
    }

    [Fact]
    public void Query_reason_uses_the_alias_that_was_invoked()
    {
        Assert.Equal("rpm -q only reports information", Classify("rpm -qa").Reason);
    }

    [Theory]
    [InlineData("/usr/bin/ls -l")]
    [InlineData("/usr/local/bin/rg foo")]
    [InlineData("/bin/cat f")]
    public void Programs_in_system_directories_are_classified_by_basename(string commandLine)
    {
        Assert.Equal(CommandRisk.ReadOnly, Classify(commandLine).Risk);
    }

    [Theory]
    [InlineData("./ls")]
    [InlineData("bin/cat f")]
    [InlineData("/tmp/evil/echo hi")]
    [InlineData("/ls")]
    public void Known_names_outside_system_directories_are_unknown(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.Contains("may not be the real", result.Reason);
    }

    [Fact]
    public void Unknown_program_reason_names_the_program()
    {
        var result = Classify("frobnicate");

        Assert.Equal(CommandRisk.Unknown, result.Risk);
        Assert.Contains("frobnicate", result.Reason);
    }

    [Fact]
    public void Interpreter_inline_code_reason_says_inline_code()
    {
        Assert.Contains("inline code", Classify("python3 -c 'print(1)'").Reason);
    }

    [Fact]
    public void Rm_with_force_names_the_option_in_the_reason()
    {
        Assert.Contains("rm -r", Classify("rm -rf build").Reason);
    }
}
