using Orchestrator.Sandbox.Windows;

namespace Orchestrator.Sandbox.Tests.Windows;

public sealed class WindowsCommandLineTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("tab\there", "\"tab\there\"")]
    [InlineData("line\nfeed", "\"line\nfeed\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("\"", "\"\\\"\"")]
    [InlineData(@"C:\path\no space", "\"C:\\path\\no space\"")]
    [InlineData(@"C:\path\", @"C:\path\")]
    [InlineData(@"C:\with space\", "\"C:\\with space\\\\\"")]
    [InlineData(@"trailing\\", @"trailing\\")]
    [InlineData(@"two\\ trailing\\", "\"two\\\\ trailing\\\\\\\\\"")]
    [InlineData(@"a\""b", "\"a\\\\\\\"b\"")]
    [InlineData(@"a\\""b", "\"a\\\\\\\\\\\"b\"")]
    [InlineData(@"\\server\share", @"\\server\share")]
    [InlineData("ünïcödé 日本", "\"ünïcödé 日本\"")]
    [InlineData("%PATH% ^& | <>", "\"%PATH% ^& | <>\"")]
    public void Argument_is_quoted_only_as_much_as_needed(string argument, string expected)
    {
        Assert.Equal(expected, WindowsCommandLine.QuoteArgument(argument));
    }

    [Theory]
    [InlineData(@"C:\Windows\System32\where.exe", @"C:\Windows\System32\where.exe")]
    [InlineData(@"C:\Program Files\Git\bin\git.exe", "\"C:\\Program Files\\Git\\bin\\git.exe\"")]
    [InlineData(@"C:\dir\", @"C:\dir\")]
    [InlineData(@"C:\dir with space\", "\"C:\\dir with space\\\"")]
    [InlineData("", "\"\"")]
    public void Program_is_quoted_without_escapes(string program, string expected)
    {
        Assert.Equal(expected, WindowsCommandLine.QuoteProgram(program));
        Assert.Equal(program, CommandLineToArgv.Parse(WindowsCommandLine.QuoteProgram(program))[0]);
    }

    [Fact]
    public void Program_with_a_quote_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => WindowsCommandLine.QuoteProgram("a\"b.exe"));
    }

    [Fact]
    public void NUL_in_an_argument_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => WindowsCommandLine.Build("x.exe", ["a\0b"]));
    }

    [Fact]
    public void Over_long_command_line_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => WindowsCommandLine.Build("x.exe", [new string('a', WindowsCommandLine.MaxLength)]));
    }

    public static TheoryData<string[]> HardCases => new(
        ["a", "b c", ""],
        ["\\", "\\\\", "\\\"", "\"\\", "\\\\\"\\\\"],
        ["C:\\Program Files\\", "x\\\\", "end\\ \\"],
        ["\"\"", "\" \"", " ", "\t"]);

    [Theory]
    [MemberData(nameof(HardCases))]
    public void Known_hard_cases_round_trip_through_the_parser(string[] arguments)
    {
        var line = WindowsCommandLine.Build(@"C:\Tools\prog.exe", arguments);

        Assert.Equal([@"C:\Tools\prog.exe", .. arguments], CommandLineToArgv.Parse(line).ToArray());
    }

    [Fact]
    public void Random_arguments_round_trip_through_the_parser()
    {
        const string alphabet = "ab \t\"\\\\é\n\v";
        var random = new Random(20261122);
        for (var trial = 0; trial < 5000; trial++)
        {
            var arguments = Enumerable.Range(0, random.Next(0, 5))
                .Select(_ => new string(Enumerable.Range(0, random.Next(0, 8)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
                .ToArray();

            var line = WindowsCommandLine.Build(@"C:\My Tools\prog.exe", arguments);

            Assert.Equal([@"C:\My Tools\prog.exe", .. arguments], CommandLineToArgv.Parse(line).ToArray());
        }
    }
}
