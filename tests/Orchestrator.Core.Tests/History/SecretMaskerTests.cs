using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;

namespace Orchestrator.Core.Tests.History;

public class SecretMaskerTests
{
    [Theory]
    [InlineData("gh auth login --with-token ghp_0123456789abcdefghijABCDEFGHIJ0123", "gh auth login --with-token ghp_***")]
    [InlineData("echo gho_0123456789abcdefghijABCDEFGHIJ0123", "echo gho_***")]
    [InlineData("echo ghs_0123456789abcdefghijABCDEFGHIJ0123", "echo ghs_***")]
    [InlineData("echo github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "echo github_pat_***")]
    [InlineData("aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE", "aws configure set aws_access_key_id AKIA***")]
    [InlineData("curl -d key=sk-proj-abcdefghijklmnop1234567890", "curl -d key=sk-***")]
    [InlineData("claude --key sk-ant-api03-abcdefghijklmnopqrstuv", "claude --key sk-ant-***")]
    [InlineData("post xoxb-123456789012-abcdefghijkl", "post xoxb-***")]
    [InlineData("post xoxp-123456789012-abcdefghijkl", "post xoxp-***")]
    [InlineData("curl -H 'Authorization: Bearer abc.def.ghi' https://api.example.com", "curl -H 'Authorization: Bearer ***' https://api.example.com")]
    [InlineData("curl -H \"authorization: basic dXNlcjpwYXNz\" x", "curl -H \"authorization: basic ***\" x")]
    [InlineData("git clone https://user:hunter2@github.com/org/repo.git", "git clone https://user:***@github.com/org/repo.git")]
    [InlineData("psql postgres://app:s3cr3t@db:5432/app", "psql postgres://app:***@db:5432/app")]
    [InlineData("GITHUB_TOKEN=abc123 gh pr list", "GITHUB_TOKEN=*** gh pr list")]
    [InlineData("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", "export AWS_SECRET_ACCESS_KEY=***")]
    [InlineData("OPENAI_API_KEY=\"quoted value\" ./run", "OPENAI_API_KEY=*** ./run")]
    [InlineData("DB_PASSWORD='p a s s' psql", "DB_PASSWORD=*** psql")]
    [InlineData("PASSWORD=letmein ./login && echo ok", "PASSWORD=*** ./login && echo ok")]
    [InlineData("APP_SECRET=xyz;echo done", "APP_SECRET=***;echo done")]
    [InlineData("env MY_KEY=1234 make", "env MY_KEY=*** make")]
    [InlineData("mysql --password=hunter2 db", "mysql --password=*** db")]
    public void Masks_known_secrets_and_keeps_the_prefix_or_name(string input, string expected)
    {
        foreach (var masked in new[] { SecretMasker.MaskText(input), SecretMasker.MaskCommand(input) })
        {
            Assert.Equal(expected, masked.Text);
            Assert.Equal(1, masked.Count);
        }
    }

    [Theory]
    [InlineData("curl -H \"Authorization: Bearer a$(rm${IFS}-rf${IFS}src/victim)\" https://x")]
    [InlineData("curl -H \"Authorization: Bearer a`rm -rf src`\" https://x")]
    [InlineData("curl -H \"Authorization: Bearer abc\"$(id) https://x")]
    [InlineData("curl -H Authorization:\\ Bearer\\ abc https://x")]
    [InlineData("curl -H \"Authorization: Bearer a${IFS}b\" https://x")]
    [InlineData("GITHUB_TOKEN=abc$(id) gh pr list")]
    [InlineData("GITHUB_TOKEN=abc\\;id gh pr list")]
    [InlineData("GITHUB_TOKEN=\"abc`id`\" gh pr list")]
    [InlineData("API_KEY=$'\\x41' run")]
    [InlineData("git clone https://u:p$(id)@github.com/o/r")]
    [InlineData("echo ghp_0123456789abcdefghijABCDEFGHIJ0123$(id)")]
    [InlineData("cat <<EOF\nAuthorization: Bearer abc$(rm -rf src)\nEOF")]
    [InlineData("cat <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIE`id`\n-----END RSA PRIVATE KEY-----\nEOF")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nreboot\n-----END RSA PRIVATE KEY-----")]
    [InlineData("curl -H 'Authorization: Bearer abc")]
    [InlineData("x=$( # it's\n); curl -H \"Authorization: Bearer abc;reboot\"")]
    public void A_command_secret_with_any_expansion_substitution_or_escape_is_shown_in_full(string command)
    {
        var masked = SecretMasker.MaskCommand(command);

        Assert.Equal(command, masked.Text);
        Assert.Equal(0, masked.Count);
    }

    [Theory]
    [InlineData("cat > key <<'EOF'\n-----BEGIN RSA PRIVATE KEY-----\nMII$Ew`x`\n-----END RSA PRIVATE KEY-----\nEOF", "cat > key <<'EOF'\n-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----\nEOF")]
    [InlineData("curl \"$URL\" -H 'Authorization: Bearer abc123' && echo $(date)", "curl \"$URL\" -H 'Authorization: Bearer ***' && echo $(date)")]
    [InlineData("curl -H \"Authorization: Bearer abc\" \"$(printf x)\" # API_KEY=zzz", "curl -H \"Authorization: Bearer ***\" \"$(printf x)\" # API_KEY=***")]
    [InlineData("DB_PASSWORD='p$ss `w`' psql", "DB_PASSWORD=*** psql")]
    public void A_command_secret_that_is_a_plain_literal_is_masked_next_to_expansions_elsewhere(string command, string expected)
    {
        Assert.Equal(expected, SecretMasker.MaskCommand(command).Text);
    }

    [Fact]
    public void A_bash_call_is_masked_as_a_script_and_other_tools_as_plain_data()
    {
        const string value = "Authorization: Bearer a$(id)";

        Assert.Equal(value, SecretMasker.MaskValue(ToolNames.Bash, ToolInputKeys.Command, value).Text);
        Assert.Equal("Authorization: Bearer ***", SecretMasker.MaskValue(ToolNames.Write, "content", value).Text);
    }

    [Fact]
    public void Masks_a_jwt_but_keeps_its_marker()
    {
        const string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

        Assert.Equal("token eyJ***", SecretMasker.MaskText("token " + jwt).Text);
    }

    [Fact]
    public void Masks_the_body_of_a_pem_private_key_block()
    {
        const string pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabcdef==\n-----END RSA PRIVATE KEY-----";

        var masked = SecretMasker.MaskText($"cat > id_rsa <<EOF\n{pem}\nEOF");

        Assert.Equal("cat > id_rsa <<EOF\n-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----\nEOF", masked.Text);
        Assert.DoesNotContain("MIIE", masked.Text);
    }

    [Fact]
    public void Masks_a_truncated_pem_private_key_to_the_end_of_the_text()
    {
        var masked = SecretMasker.MaskText("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA");

        Assert.Equal("-----BEGIN OPENSSH PRIVATE KEY-----***", masked.Text);
    }

    [Fact]
    public void Counts_every_secret_in_one_text()
    {
        var masked = SecretMasker.MaskText("A_TOKEN=1 B_SECRET=2 curl https://u:p@h/ -H 'Authorization: Bearer x'");

        Assert.Equal(4, masked.Count);
        Assert.Equal("A_TOKEN=*** B_SECRET=*** curl https://u:***@h/ -H 'Authorization: Bearer ***'", masked.Text);
    }

    [Theory]
    [InlineData("git status")]
    [InlineData("ls -la /tmp && echo done")]
    [InlineData("pip install scikit-learn sk-video")]
    [InlineData("cat task-management-system-overview.md")]
    [InlineData("echo $GITHUB_TOKEN")]
    [InlineData("GITHUB_TOKEN=$(cat ~/.token) gh pr list")]
    [InlineData("curl -H \"Authorization: Bearer $TOKEN\" https://api.example.com")]
    [InlineData("git clone https://github.com/org/repo.git")]
    [InlineData("ssh git@github.com")]
    [InlineData("KEYBOARD=us setxkbmap")]
    [InlineData("SORT_KEYS=1 jq .")]
    [InlineData("grep -r AKIA src/")]
    [InlineData("echo ghp_short")]
    [InlineData("cat ~/.ssh/id_rsa.pub")]
    [InlineData("-----BEGIN PUBLIC KEY----- abc -----END PUBLIC KEY-----")]
    [InlineData("EMPTY_TOKEN= ./run")]
    public void Leaves_ordinary_text_alone(string input)
    {
        var masked = SecretMasker.MaskText(input);

        Assert.Equal(input, masked.Text);
        Assert.Equal(0, masked.Count);
    }

    [Fact]
    public void Masks_every_input_value_of_a_call_and_leaves_the_rest()
    {
        var call = new ToolCall(new CallId("c"), "mcp__db__query",
            ImmutableDictionary<string, string>.Empty.Add("dsn", "postgres://u:pw@db/x").Add("sql", "select 1"),
            "/w", new AgentId("a"), new SessionId("s"));

        var masked = SecretMasker.MaskCall(call);

        Assert.Equal("postgres://u:***@db/x", masked.Call.InputValue("dsn"));
        Assert.Equal("select 1", masked.Call.InputValue("sql"));
        Assert.Equal(1, masked.Count);
    }

    [Fact]
    public void A_call_without_secrets_is_returned_as_is()
    {
        var call = ToolCall.Bash("ls", "/w");

        Assert.Same(call, SecretMasker.MaskCall(call).Call);
    }

    public static TheoryData<string> AdversarialShapes() => ["almost-a-token", "url-credentials", "unclosed-keys", "jwt-fragments"];

    /// <summary>Inputs that make backtracking engines explode: long runs that almost match.</summary>
    private static string Adversarial(string shape, int length) => shape switch
    {
        "almost-a-token" => new string('A', length) + "_TOKE",
        "url-credentials" => "https://" + new string('a', length / 2) + ":" + new string('b', length / 2),
        "unclosed-keys" => "-----BEGIN PRIVATE KEY-----" + string.Concat(Enumerable.Repeat("-----END ", length / 9)),
        "jwt-fragments" => string.Concat(Enumerable.Repeat("eyJaaaaaaaaa.", length / 13)),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    // Eight times the input may cost at most 24 times the CPU: linear work costs ~8x, quadratic ~64x. The thread's own
    // CPU time (best of several runs) is measured, so a busy machine does not make the test fail.
    [Theory]
    [MemberData(nameof(AdversarialShapes))]
    public void Masking_adversarial_input_costs_time_in_proportion_to_its_length(string shape)
    {
        var small = Adversarial(shape, 25_000);
        var large = Adversarial(shape, 200_000);
        SecretMasker.MaskText(small);

        var (smallCost, largeCost) = (ThreadCpu.Best(() => SecretMasker.MaskText(small)), ThreadCpu.Best(() => SecretMasker.MaskText(large)));

        Assert.True(largeCost < smallCost * 24 + TimeSpan.FromMilliseconds(2),
            $"{shape}: 25,000 chars cost {smallCost.TotalMilliseconds:F2} ms of CPU, 200,000 chars {largeCost.TotalMilliseconds:F2} ms");
    }
}
