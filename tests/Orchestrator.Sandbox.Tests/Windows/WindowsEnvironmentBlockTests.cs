using Orchestrator.Sandbox.Windows;

namespace Orchestrator.Sandbox.Tests.Windows;

public sealed class WindowsEnvironmentBlockTests
{
    private static KeyValuePair<string, string> V(string name, string value) => new(name, value);

    [Fact]
    public void Names_are_sorted_upper_cased_and_ordinally()
    {
        var block = WindowsEnvironmentBlock.Build([V("b", "1"), V("A", "2"), V("_x", "3"), V("a_b", "4"), V("=C:", "C:\\w")]);

        // Upper-cased ordinal: '=' (0x3D) < 'A' (0x41) < '_' (0x5F); "A" < "A_B" < "B".
        Assert.Equal(["=C:", "A", "a_b", "b", "_x"], block.Select(v => v.Name).ToArray());
    }

    [Fact]
    public void A_later_layer_overrides_an_earlier_one_ignoring_case()
    {
        var block = WindowsEnvironmentBlock.Build([V("Path", @"C:\base")], [V("PATH", @"C:\request")]);

        Assert.Equal([new EnvironmentVariable("PATH", @"C:\request")], block.ToArray());
    }

    [Fact]
    public void One_layer_naming_a_variable_twice_in_different_cases_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => WindowsEnvironmentBlock.Build([V("Path", "a"), V("PATH", "b")]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("A\0")]
    public void Invalid_names_are_rejected(string name)
    {
        Assert.Throws<ArgumentException>(() => WindowsEnvironmentBlock.Build([V(name, "v")]));
    }

    [Fact]
    public void Value_with_a_NUL_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => WindowsEnvironmentBlock.Build([V("A", "x\0y")]));
    }

    [Fact]
    public void Block_is_NUL_separated_and_double_NUL_terminated()
    {
        var block = WindowsEnvironmentBlock.Build([V("B", "2"), V("A", "1=one")]);

        Assert.Equal("A=1=one\0B=2\0\0", WindowsEnvironmentBlock.Render(block));
        Assert.Equal("\0\0", WindowsEnvironmentBlock.Render([]));
    }
}
