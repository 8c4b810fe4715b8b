using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Policy;

public class InputValidatorTests
{
    [Theory]
    [InlineData("echo \ufffd", "replacement character")]
    [InlineData("a\0b", "NUL")]
    [InlineData("", "empty")]
    [InlineData(" \n", "empty")]
    public void Unacceptable_text_is_named(string text, string problem) =>
        Assert.Contains(problem, InputValidator.Problem("command", text, 1000));

    [Fact]
    public void Lone_surrogates_are_not_valid_utf8()
    {
        Assert.Contains("lone surrogate", InputValidator.Problem("command", "echo " + (char)0xD800 + "x", 1000));
        Assert.Contains("lone surrogate", InputValidator.Problem("command", "echo " + (char)0xDC00, 1000));
    }

    [Fact]
    public void Paired_surrogates_are_valid_text() =>
        Assert.Null(InputValidator.Problem("command", "echo 😀", 1000));

    [Fact]
    public void Size_cap_counts_utf8_bytes_not_characters()
    {
        Assert.Null(InputValidator.Problem("command", new string('é', 500), 1000));
        Assert.Contains("limit", InputValidator.Problem("command", new string('é', 501), 1000));
    }

    [Fact]
    public void Strict_decoding_reports_the_offset_of_the_first_bad_byte()
    {
        Assert.Null(InputValidator.DecodeStrict([0x61, 0xE2, 0x82], out var problem));
        Assert.Contains("offset 1", problem);
        Assert.Equal("ab", InputValidator.DecodeStrict("ab"u8, out _));
    }
}
