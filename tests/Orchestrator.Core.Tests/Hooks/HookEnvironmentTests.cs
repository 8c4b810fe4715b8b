using Orchestrator.Core.Hooks;

namespace Orchestrator.Core.Tests.Hooks;

public class HookEnvironmentTests
{
    [Theory]
    [InlineData("/usr/bin:/bin", "/usr/bin:/bin")]
    [InlineData(".:/usr/bin", "/usr/bin")]
    [InlineData("/usr/bin::/bin", "/usr/bin:/bin")]
    [InlineData(":/usr/bin:", "/usr/bin")]
    [InlineData("bin:node_modules/.bin:/opt/x/bin:/usr/bin:/opt/x/bin", "/opt/x/bin:/usr/bin")]
    [InlineData("", HookEnvironment.DefaultPath)]
    [InlineData(null, HookEnvironment.DefaultPath)]
    [InlineData("./bin:src", HookEnvironment.DefaultPath)]
    public void Path_keeps_only_absolute_entries_so_no_lookup_depends_on_a_directory(string? inherited, string expected)
    {
        Assert.Equal(expected, HookEnvironment.AbsolutePath(inherited));
    }

    [Fact]
    public void Both_project_directory_variables_name_the_project()
    {
        var env = HookEnvironment.For("/work/proj", "/usr/bin:.");

        Assert.Equal("/work/proj", env["ORCHESTRATOR_PROJECT_DIR"]);
        Assert.Equal("/work/proj", env["CLAUDE_PROJECT_DIR"]);
        Assert.Equal("/usr/bin", env["PATH"]);
    }
}
