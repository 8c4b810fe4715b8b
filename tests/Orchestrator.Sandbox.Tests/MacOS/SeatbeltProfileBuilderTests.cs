using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.MacOS;

namespace Orchestrator.Sandbox.Tests.MacOS;

public sealed class SeatbeltProfileBuilderTests
{
    [Theory]
    [InlineData("/work/a\nb")]
    [InlineData("/work/a\rb")]
    [InlineData("/work/a\0b")]
    public void Path_with_a_line_break_or_NUL_is_rejected(string path)
    {
        var profile = new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, WritableRoots = [path] };

        Assert.Throws<ArgumentException>(() => SeatbeltProfileBuilder.Build(profile));
    }

    [Theory]
    [InlineData("relative/dir")]
    [InlineData("")]
    [InlineData("/work/../etc")]
    [InlineData("/work/./x")]
    public void Relative_or_non_canonical_path_is_rejected(string path)
    {
        var profile = new SandboxProfile { Mode = SandboxMode.ReadOnly, HiddenPaths = [path] };

        Assert.Throws<ArgumentException>(() => SeatbeltProfileBuilder.Build(profile));
    }

    [Fact]
    public void Private_tmp_with_a_line_break_is_rejected()
    {
        var profile = new SandboxProfile { Mode = SandboxMode.ReadOnly };

        Assert.Throws<ArgumentException>(() => SeatbeltProfileBuilder.Build(profile, "/tmp/x\n(allow default)"));
    }

    [Theory]
    [InlineData("/tmp", "/private/tmp")]
    [InlineData("/tmp/build", "/private/tmp/build")]
    [InlineData("/var/folders/x", "/private/var/folders/x")]
    [InlineData("/etc/hosts", "/private/etc/hosts")]
    [InlineData("/tmpfoo", "/tmpfoo")]
    [InlineData("/private/tmp/x", "/private/tmp/x")]
    [InlineData("/Users//dev/project/", "/Users/dev/project")]
    public void Path_parameters_are_canonicalised(string given, string expected)
    {
        var profile = new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, WritableRoots = [given] };

        var policy = SeatbeltProfileBuilder.Build(profile);

        Assert.Equal([$"WRITABLE_ROOT_0={expected}"], policy.Parameters.ToArray());
    }

    [Fact]
    public void Paths_never_appear_in_the_profile_text()
    {
        var profile = new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            WritableRoots = ["/Users/dev/w\") (allow default) (\""],
            ProtectedPaths = ["/Users/dev/w\") (allow default) (\"/.git"],
            HiddenPaths = ["/Users/dev/.ssh"],
        };

        var policy = SeatbeltProfileBuilder.Build(profile, "/private/tmp/sbx");

        Assert.DoesNotContain("/Users/dev", policy.ProfileText);
        Assert.DoesNotContain("/private/tmp/sbx", policy.ProfileText);
        Assert.DoesNotContain("(allow default)", policy.ProfileText);
        Assert.All(policy.Parameters, p => Assert.Matches("^[A-Z_0-9]+=/", p));
    }

    [Fact]
    public void Read_only_mode_allows_no_writable_root_even_when_given()
    {
        var profile = new SandboxProfile { Mode = SandboxMode.ReadOnly, WritableRoots = ["/Users/dev/project"] };

        var policy = SeatbeltProfileBuilder.Build(profile);

        Assert.DoesNotContain("WRITABLE_ROOT", policy.ProfileText);
        Assert.Empty(policy.Parameters.ToArray());
    }

    [Fact]
    public void Network_off_and_ask_add_no_network_allow()
    {
        foreach (var network in new[] { NetworkAccess.Off, NetworkAccess.Ask })
        {
            var policy = SeatbeltProfileBuilder.Build(new SandboxProfile { Mode = SandboxMode.ReadOnly, Network = network });

            Assert.DoesNotContain("(allow network", policy.ProfileText);
            Assert.DoesNotContain("system-socket", policy.ProfileText);
        }
    }

    [Fact]
    public void Network_on_allows_outbound_and_localhost_inbound()
    {
        var policy = SeatbeltProfileBuilder.Build(new SandboxProfile { Mode = SandboxMode.ReadOnly, Network = NetworkAccess.On });

        Assert.Contains("(allow network-outbound)", policy.ProfileText);
        Assert.Contains("(allow network-inbound (local ip \"localhost:*\"))", policy.ProfileText);
    }

    [Fact]
    public void Denies_follow_the_allows_they_narrow()
    {
        var profile = new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            WritableRoots = ["/w"],
            ProtectedPaths = ["/w/.git"],
            HiddenPaths = ["/w/.env"],
        };

        var text = SeatbeltProfileBuilder.Build(profile).ProfileText;

        Assert.StartsWith("(version 1)\n", text);
        Assert.True(text.IndexOf("(deny default)", StringComparison.Ordinal) < text.IndexOf("(allow file-read*)", StringComparison.Ordinal));
        Assert.True(text.IndexOf("(allow file-read*)\n", StringComparison.Ordinal) < text.IndexOf("(deny file-read*", StringComparison.Ordinal));
        Assert.True(text.IndexOf("(allow file-write*\n", StringComparison.Ordinal) < text.IndexOf("(deny file-write* (literal (param \"PROTECTED_0", StringComparison.Ordinal));
    }

    [Fact]
    public void Ancestors_of_a_nested_protected_path_are_pinned_up_to_the_root()
    {
        var profile = new SandboxProfile
        {
            Mode = SandboxMode.WorkspaceWrite,
            WritableRoots = ["/w"],
            ProtectedPaths = ["/w/a/b/.git"],
        };

        var policy = SeatbeltProfileBuilder.Build(profile);

        Assert.Equal(["WRITABLE_ROOT_0=/w", "PROTECTED_0=/w/a/b/.git", "PINNED_0=/w/a/b", "PINNED_1=/w/a", "PINNED_2=/w"], policy.Parameters.ToArray());
    }

    [Fact]
    public void Duplicate_roots_after_canonicalisation_appear_once()
    {
        var profile = new SandboxProfile { Mode = SandboxMode.WorkspaceWrite, WritableRoots = ["/tmp/x", "/private/tmp/x/"] };

        Assert.Equal(["WRITABLE_ROOT_0=/private/tmp/x"], SeatbeltProfileBuilder.Build(profile).Parameters.ToArray());
    }

    [Fact]
    public void Danger_full_access_has_no_profile()
    {
        Assert.Throws<ArgumentException>(() => SeatbeltProfileBuilder.Build(new SandboxProfile { Mode = SandboxMode.DangerFullAccess }));
    }
}
