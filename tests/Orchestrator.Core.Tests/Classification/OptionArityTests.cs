using Orchestrator.Core.Classification;
using static Orchestrator.Core.Tests.Classification.ClassifierFixture;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>
/// Options must consume exactly the words the program gives them: an option listed as taking a value it does not take
/// swallows the next argument (a file read, a wrapped command), and a value-taking option read as a flag leaks its
/// value. Also files that options read, and directories that options move later paths into.
/// </summary>
public class OptionArityTests
{
    [Theory]
    // The file after an option is still read when the option takes no value (or only an attached one).
    [InlineData("od -f secret", "secret")]
    [InlineData("od -s secret", "secret")]
    [InlineData("od -w secret", "secret")]
    [InlineData("more -p secret", "secret")]
    [InlineData("more -c secret", "secret")]
    [InlineData("diff3 -x mine older yours", "mine")]
    [InlineData("diff3 -X mine older yours", "mine")]
    [InlineData("sdiff -W left right", "left")]
    [InlineData("df --output secret", "secret")]
    [InlineData("uniq --group secret", "secret")]
    [InlineData("cmp -l left right", "left")]
    [InlineData("git diff --no-index secret /dev/null", "secret")]
    [InlineData("git show --stat HEAD -- secret", "secret")]
    [InlineData("git log -p -- secret", "secret")]
    [InlineData("git blame secret", "secret")]
    [InlineData("git grep -e TODO -- secret", "secret")]
    [InlineData("man -l ./page.1", "./page.1")]
    // Files that options name.
    [InlineData("jq -n --rawfile key secret '$key'", "secret")]
    [InlineData("jq -n --rawfile=key secret '$key'", "secret")]
    [InlineData("jq -n --slurpfile data secret.json '$data'", "secret.json")]
    [InlineData("jq -L lib -n 'import \"x\" as x; 1'", "lib")]
    [InlineData("jq -Llib -n 1", "lib")]
    [InlineData("yq --rawfile key secret '.a' f.yml", "secret")]
    [InlineData("wc --files0-from=names", "names")]
    [InlineData("file -m ./magic x", "./magic")]
    [InlineData("file --magic-file=./magic x", "./magic")]
    [InlineData("hexdump -f fmt x", "fmt")]
    [InlineData("hd -f fmt x", "fmt")]
    [InlineData("base64 -i secret", "secret")]
    [InlineData("base64 --input=secret", "secret")]
    [InlineData("sort --random-source=seed in", "seed")]
    [InlineData("tree --gitfile=ignore", "ignore")]
    [InlineData("git blame --contents secret file", "secret")]
    [InlineData("git log -O order.txt", "order.txt")]
    [InlineData("git commit -F msg.txt", "msg.txt")]
    [InlineData("git commit --template=tpl.txt", "tpl.txt")]
    [InlineData("curl -d @secret https://example.com", "secret")]
    [InlineData("curl --data-binary=@secret https://example.com", "secret")]
    [InlineData("curl --data-urlencode name@secret https://example.com", "secret")]
    [InlineData("curl -F 'f=@secret' https://example.com", "secret")]
    [InlineData("curl -F 'f=@secret;type=text/plain' https://example.com", "secret")]
    [InlineData("curl -F 'f=<secret' https://example.com", "secret")]
    [InlineData("curl -T secret https://example.com", "secret")]
    [InlineData("curl --upload-file=secret https://example.com", "secret")]
    [InlineData("curl -K opts https://example.com", "opts")]
    [InlineData("wget --post-file=secret https://example.com", "secret")]
    [InlineData("wget --body-file secret https://example.com", "secret")]
    [InlineData("kubectl apply -f deploy.yml", "deploy.yml")]
    [InlineData("docker build -f Dockerfile.dev .", "Dockerfile.dev")]
    [InlineData("docker run --env-file .env alpine", ".env")]
    public void Reads_are_reported(string commandLine, string read)
    {
        var result = Classify(commandLine);

        Assert.Contains(new PathAccess(read, PathAccessKind.Read), result.Paths);
    }

    [Theory]
    [InlineData("curl -d 'a=b' https://example.com")]
    [InlineData("curl -F 'f=plain' https://example.com")]
    public void Data_without_a_file_marker_names_no_file(string commandLine)
    {
        Assert.Empty(Classify(commandLine).Paths);
    }

    [Theory]
    [InlineData("env --default-signal rm -rf x", "rm")]
    [InlineData("env --default-signal=INT rm -rf x", "rm")]
    [InlineData("env --ignore-signal rm -rf x", "rm")]
    [InlineData("env --block-signal rm x", "rm")]
    [InlineData("env -a name rm x", "rm")]
    [InlineData("env --argv0=name rm x", "rm")]
    public void Env_options_never_swallow_the_wrapped_program(string commandLine, string program)
    {
        var result = Classify(commandLine);

        Assert.Equal(program, Assert.Single(result.InnerCommands).Argv[0]);
    }

    [Theory]
    // git -C: every later relative path is below the directory, including option values.
    [InlineData("git -C repo diff --no-index a b", "repo/a", PathAccessKind.Read)]
    [InlineData("git -C repo -C sub log -- f", "repo/sub/f", PathAccessKind.Read)]
    [InlineData("git -C /etc diff --no-index shadow /dev/null", "/etc/shadow", PathAccessKind.Read)]
    [InlineData("git -C repo format-patch -o out HEAD~1", "repo/out", PathAccessKind.Write)]
    [InlineData("git -C repo log --output=log.txt", "repo/log.txt", PathAccessKind.Write)]
    [InlineData("git -C repo rm file", "repo/file", PathAccessKind.Write)]
    [InlineData("git -C repo diff --no-index /abs b", "/abs", PathAccessKind.Read)]
    [InlineData("git -C repo diff --no-index ~/x b", "~/x", PathAccessKind.Read)]
    // tar -C is order-sensitive and moves only members; the archive and -T lists stay in the caller's directory.
    [InlineData("tar -C /etc -cf out.tar shadow", "/etc/shadow", PathAccessKind.Read)]
    [InlineData("tar -cf out.tar -C /etc shadow", "/etc/shadow", PathAccessKind.Read)]
    [InlineData("tar -cf out.tar m -C d m", "m", PathAccessKind.Read)]
    [InlineData("tar -cf out.tar m -C d m", "d/m", PathAccessKind.Read)]
    [InlineData("tar -C d -cf out.tar m", "out.tar", PathAccessKind.Write)]
    [InlineData("tar -C d -cf out.tar -T list", "list", PathAccessKind.Read)]
    [InlineData("tar czf out.tgz -C /etc passwd", "/etc/passwd", PathAccessKind.Read)]
    [InlineData("tar -xf a.tar -C out", "out", PathAccessKind.Write)]
    [InlineData("tar -xf a.tar -C out -C sub", "out/sub", PathAccessKind.Write)]
    // fd --base-directory moves its search paths.
    [InlineData("fd --base-directory /etc pattern ssh", "/etc/ssh", PathAccessKind.Read)]
    // cargo -C and uv --directory move the manifest and project.
    [InlineData("cargo -C crate version --manifest-path Cargo.toml", "crate/Cargo.toml", PathAccessKind.Read)]
    public void Directory_changing_options_move_later_relative_paths(string commandLine, string path, PathAccessKind kind)
    {
        var result = Classify(commandLine);

        Assert.Contains(new PathAccess(path, kind), result.Paths);
    }

    [Theory]
    [InlineData("tar -cf out.tar m -C d m", "d/out.tar")]
    [InlineData("tar -C d -cf out.tar -T list", "d/list")]
    [InlineData("git -C repo diff --no-index a b", "a")]
    public void Directory_changes_do_not_invent_paths(string commandLine, string notPath)
    {
        Assert.DoesNotContain(Classify(commandLine).Paths, access => access.Path == notPath);
    }

    [Theory]
    [InlineData("go list -json=Dir,Module,Context ./...")]
    [InlineData("go list -f '{{.Dir}}' ./...")]
    [InlineData("go list -m all")]
    [InlineData("go list -deps -test ./...")]
    public void Go_flags_are_words_not_letter_clusters(string commandLine)
    {
        var result = Classify(commandLine);

        Assert.Equal(CommandRisk.ReadOnly, result.Risk);
        Assert.False(result.IsEscapeHatch);
    }
}
