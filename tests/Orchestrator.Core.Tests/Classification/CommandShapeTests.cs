using Orchestrator.Core.Classification;

namespace Orchestrator.Core.Tests.Classification;

/// <summary>
/// The shape of a command as its program reads it, for rules that name options: the same command written with options
/// moved, bundled, split or spelled differently has the same shape, and the catalog groups the spellings of the options
/// deny and ask rules commonly name, with the right arity.
/// </summary>
public class CommandShapeTests
{
    private static CommandShape Describe(string commandLine) => CommandClassifier.Default.Describe(Words.Split(commandLine));

    private static string Summary(CommandShape shape) =>
        $"{shape.Program} [{string.Join(" ", shape.Subcommands)}] " +
        $"{{{string.Join(" ", shape.Options.Select(o => o.Name + (o.Value is null ? "" : "=" + o.Value)).Order(StringComparer.Ordinal))}}} " +
        $"({string.Join(" ", shape.Operands)})";

    [Theory]
    [InlineData("git push --force origin main", "git push origin main --force")]
    [InlineData("git push --force origin main", "git push -f origin main")]
    [InlineData("git push --force origin main", "git push origin -f main")]
    [InlineData("git push --force origin main", "git push --forc origin main")]
    [InlineData("git push --force-with-lease origin main", "git push origin main --force-with-lease")]
    [InlineData("git push --delete origin feature", "git push origin -d feature")]
    [InlineData("git push -o ci.skip origin main", "git push origin main --push-option=ci.skip")]
    [InlineData("git push -o ci.skip origin main", "git push -oci.skip origin main")]
    [InlineData("git push -u origin main", "git push origin main --set-upstream")]
    [InlineData("rm -rf /", "rm -fr /")]
    [InlineData("rm -rf /", "rm -r -f /")]
    [InlineData("rm -rf /", "rm -R --force /")]
    [InlineData("rm -rf /", "rm / --recursive -f")]
    [InlineData("rm -rf /", "rm --rec --forc /")]
    [InlineData("git reset --hard HEAD~1", "git reset HEAD~1 --hard")]
    [InlineData("git clean -fdx", "git clean -x -d --force")]
    [InlineData("git clean -f -e keep", "git clean --exclude=keep --force")]
    [InlineData("git commit -m msg --no-verify", "git commit -nm msg")]
    [InlineData("git commit -m msg --no-verify", "git commit --message=msg -n")]
    [InlineData("git checkout -b feature", "git checkout -bfeature")]
    [InlineData("git switch -c feature", "git switch --create feature")]
    [InlineData("chmod -R 777 /", "chmod 777 / --recursive")]
    [InlineData("curl -o out -X POST https://example.com", "curl https://example.com --request=POST --output out")]
    [InlineData("curl -sSL https://example.com", "curl --silent --show-error --location https://example.com")]
    [InlineData("wget -O out https://example.com", "wget https://example.com --output-document=out")]
    [InlineData("npm publish --tag beta --access public", "npm publish --access=public --tag=beta")]
    [InlineData("npm install -g left-pad", "npm install left-pad --global")]
    [InlineData("kubectl -n prod delete pod x", "kubectl delete pod x --namespace=prod")]
    [InlineData("kubectl --context c get pods", "kubectl get pods --context=c")]
    [InlineData("docker -H tcp://h ps", "docker --host=tcp://h ps")]
    [InlineData("tar xzf a.tgz", "tar -xzf a.tgz")]
    [InlineData("tar xzf a.tgz", "tar -x -z --file=a.tgz")]
    public void Equivalent_spellings_have_the_same_shape(string first, string second)
    {
        Assert.Equal(Summary(Describe(first)), Summary(Describe(second)));
    }

    [Fact]
    public void Global_options_are_skipped_to_find_the_subcommand()
    {
        var shape = Describe("git -C . -c core.editor=true --no-pager --git-dir=.git push origin main --force");

        Assert.Equal(["push"], shape.Subcommands);
        Assert.Equal(["origin", "main"], shape.Operands);
        Assert.True(shape.Has("-f"));
        Assert.Contains(shape.Options, o => o.Name == "-C" && o.Value == "." && o.Level == 0);
        Assert.Contains(shape.Options, o => o.Name == "-c" && o.Value == "core.editor=true" && o.Level == 0);
        Assert.Contains(shape.Options, o => o.Name == "--force" && o.Level == 1);
    }

    [Fact]
    public void Nested_subcommands_and_wrapped_commands_keep_their_operands()
    {
        Assert.Equal(["remote", "add"], Describe("git remote add -f origin https://example.com/r.git").Subcommands);

        var wrapper = Describe("timeout -s KILL 5 rm -rf x");
        Assert.Equal(["5", "rm", "-rf", "x"], wrapper.Operands);
        Assert.Contains(wrapper.Options, o => o.Name == "--signal" && o.Value == "KILL");

        var env = Describe("env -i FOO=1 rm -rf x");
        Assert.Equal(["FOO=1", "rm", "-rf", "x"], env.Operands);
    }

    [Fact]
    public void Unknown_programs_and_options_are_reported_as_written()
    {
        var shape = Describe("frobnicate --force=yes -x file -- -y");

        Assert.False(shape.IsKnownProgram);
        Assert.Equal(["--force", "-x"], shape.Options.Select(o => o.Name));
        Assert.Equal("yes", shape.Options[0].Value);
        Assert.Equal(["file", "-y"], shape.Operands);

        var known = Describe("rm --frobnicate -z x");
        Assert.Contains(known.Options, o => o.Name == "--frobnicate" && !o.IsKnown);
        Assert.Contains(known.Options, o => o.Name == "-z" && !o.IsKnown);
        Assert.Equal(["x"], known.Operands);
    }

    /// <summary>
    /// Options deny and ask rules commonly name: each spelling belongs to the group of the others, and takes a value
    /// exactly when the program does (a value-taking option consumes VALUE; a flag leaves it as an operand).
    /// </summary>
    [Theory]
    [InlineData("git", "-C", "-C", true)]
    [InlineData("git", "-c", "-c", true)]
    [InlineData("git", "--git-dir", "--git-dir", true)]
    [InlineData("git", "--work-tree", "--work-tree", true)]
    [InlineData("git", "--namespace", "--namespace", true)]
    [InlineData("git", "--no-pager", "-P", false)]
    [InlineData("git", "-p", "--paginate", false)]
    [InlineData("git", "--bare", "--bare", false)]
    [InlineData("git", "--literal-pathspecs", "--literal-pathspecs", false)]
    [InlineData("git push", "-f", "--force", false)]
    [InlineData("git push", "--force-with-lease", "--force-with-lease", false)]
    [InlineData("git push", "--force-if-includes", "--force-if-includes", false)]
    [InlineData("git push", "--mirror", "--mirror", false)]
    [InlineData("git push", "-d", "--delete", false)]
    [InlineData("git push", "--prune", "--prune", false)]
    [InlineData("git push", "--all", "--all", false)]
    [InlineData("git push", "--tags", "--tags", false)]
    [InlineData("git push", "-u", "--set-upstream", false)]
    [InlineData("git push", "--no-verify", "--no-verify", false)]
    [InlineData("git push", "-o", "--push-option", true)]
    [InlineData("git push", "--repo", "--repo", true)]
    [InlineData("git reset", "--hard", "--hard", false)]
    [InlineData("git reset", "--soft", "--soft", false)]
    [InlineData("git reset", "--mixed", "--mixed", false)]
    [InlineData("git reset", "--keep", "--keep", false)]
    [InlineData("git reset", "--merge", "--merge", false)]
    [InlineData("git clean", "-f", "--force", false)]
    [InlineData("git clean", "-d", "-d", false)]
    [InlineData("git clean", "-x", "-x", false)]
    [InlineData("git clean", "-X", "-X", false)]
    [InlineData("git clean", "-n", "--dry-run", false)]
    [InlineData("git clean", "-e", "--exclude", true)]
    [InlineData("git checkout", "-f", "--force", false)]
    [InlineData("git checkout", "-b", "-b", true)]
    [InlineData("git checkout", "-B", "-B", true)]
    [InlineData("git switch", "-c", "--create", true)]
    [InlineData("git switch", "-C", "--force-create", true)]
    [InlineData("git switch", "-f", "--discard-changes", false)]
    [InlineData("git restore", "-s", "--source", true)]
    [InlineData("git restore", "-S", "--staged", false)]
    [InlineData("git commit", "-n", "--no-verify", false)]
    [InlineData("git commit", "-m", "--message", true)]
    [InlineData("git commit", "-F", "--file", true)]
    [InlineData("git commit", "--amend", "--amend", false)]
    [InlineData("git rebase", "-i", "--interactive", false)]
    [InlineData("git rebase", "--onto", "--onto", true)]
    [InlineData("git rebase", "-x", "--exec", true)]
    [InlineData("git branch", "-D", "-D", false)]
    [InlineData("git branch", "-f", "--force", false)]
    [InlineData("git branch", "-d", "--delete", false)]
    [InlineData("rm", "-r", "--recursive", false)]
    [InlineData("rm", "-R", "--recursive", false)]
    [InlineData("rm", "-f", "--force", false)]
    [InlineData("rm", "-i", "-i", false)]
    [InlineData("rm", "-I", "-I", false)]
    [InlineData("rm", "--no-preserve-root", "--no-preserve-root", false)]
    [InlineData("rm", "-d", "--dir", false)]
    [InlineData("rm", "-v", "--verbose", false)]
    [InlineData("chmod", "-R", "--recursive", false)]
    [InlineData("chown", "-R", "--recursive", false)]
    [InlineData("curl", "-o", "--output", true)]
    [InlineData("curl", "-O", "--remote-name", false)]
    [InlineData("curl", "-d", "--data", true)]
    [InlineData("curl", "-X", "--request", true)]
    [InlineData("curl", "-H", "--header", true)]
    [InlineData("curl", "-u", "--user", true)]
    [InlineData("curl", "-T", "--upload-file", true)]
    [InlineData("curl", "-K", "--config", true)]
    [InlineData("curl", "-s", "--silent", false)]
    [InlineData("curl", "-S", "--show-error", false)]
    [InlineData("curl", "-L", "--location", false)]
    [InlineData("curl", "-f", "--fail", false)]
    [InlineData("curl", "-k", "--insecure", false)]
    [InlineData("wget", "-O", "--output-document", true)]
    [InlineData("wget", "-P", "--directory-prefix", true)]
    [InlineData("wget", "--post-file", "--post-file", true)]
    [InlineData("wget", "-q", "--quiet", false)]
    [InlineData("npm install", "-g", "--global", false)]
    [InlineData("npm install", "-D", "--save-dev", false)]
    [InlineData("npm install", "--ignore-scripts", "--ignore-scripts", false)]
    [InlineData("npm install", "--registry", "--registry", true)]
    [InlineData("npm publish", "--tag", "--tag", true)]
    [InlineData("npm publish", "--access", "--access", true)]
    [InlineData("npm publish", "--otp", "--otp", true)]
    [InlineData("npm publish", "--dry-run", "--dry-run", false)]
    [InlineData("docker", "-H", "--host", true)]
    [InlineData("docker", "-c", "--context", true)]
    [InlineData("docker run", "--privileged", "--privileged", false)]
    [InlineData("docker run", "-v", "--volume", true)]
    [InlineData("kubectl", "-n", "--namespace", true)]
    [InlineData("kubectl", "--context", "--context", true)]
    [InlineData("kubectl delete", "-n", "--namespace", true)]
    public void Rule_relevant_options_are_grouped_with_their_arity(string command, string spelling, string alias, bool takesValue)
    {
        var shape = Describe($"{command} {spelling} VALUE operand");

        var option = Assert.Single(shape.Options, o => o.IsSpelledAs(spelling));
        Assert.True(option.IsKnown, $"{command} {spelling} is not in the catalog");
        Assert.True(option.IsSpelledAs(alias), $"{command} {spelling} is not grouped with {alias}: [{string.Join(", ", option.Spellings)}]");
        Assert.Equal(takesValue ? "VALUE" : null, option.Value);
        Assert.Equal(takesValue ? ["operand"] : ["VALUE", "operand"], shape.Operands.ToArray());
    }

    [Theory]
    [InlineData("git push --force-with-lease=main:abc origin", "main:abc")]
    [InlineData("rm --interactive=never x", "never")]
    [InlineData("git commit -S'key id' -m x", "key id")]
    public void Optional_values_are_taken_only_when_attached(string commandLine, string value)
    {
        Assert.Contains(Describe(commandLine).Options, o => o.Value == value);
    }
}
