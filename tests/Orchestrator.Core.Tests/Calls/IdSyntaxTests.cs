using CsCheck;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests.Calls;

public sealed class IdSyntaxTests
{
    private const string Allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:@-";

    [Theory]
    [InlineData("call-1")]
    [InlineData("a")]
    [InlineData("agent@host:7.x_y")]
    [InlineData("...")]
    [InlineData("mcp__github__create_issue")]
    public void Ids_of_allowed_characters_are_valid(string id) => Assert.True(IdSyntax.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a\u0000b")]
    [InlineData("a\u202eb")]
    [InlineData("é")]
    [InlineData("a?b")]
    [InlineData("a%2fb")]
    public void Ids_with_other_characters_or_path_names_are_refused_with_the_rule(string id)
    {
        Assert.False(IdSyntax.IsValid(id));
        Assert.Contains(IdSyntax.Rule, IdSyntax.Problem("agentId", id));
        Assert.StartsWith("agentId", IdSyntax.Problem("agentId", id));
    }

    [Fact]
    public void The_length_limit_is_128_characters_and_the_message_does_not_echo_a_huge_id()
    {
        Assert.True(IdSyntax.IsValid(new string('a', 128)));
        var huge = new string('a', 900_000);
        Assert.False(IdSyntax.IsValid(huge));
        Assert.True(IdSyntax.Problem("sessionId", huge)!.Length < 200);
        Assert.Contains("required", IdSyntax.Problem("tool", null));
    }

    [Fact]
    public void Any_string_is_valid_exactly_when_it_is_1_to_128_allowed_characters_and_not_a_dot_name() =>
        Gen.OneOf(Gen.Char[Allowed], Gen.Char).Array[0, 140].Select(cs => new string(cs)).Sample(id =>
        {
            var expected = id.Length is >= 1 and <= 128 && id is not ("." or "..") && id.All(c => Allowed.Contains(c));
            Assert.Equal(expected, IdSyntax.IsValid(id));
            // Every valid id survives URL path escaping unchanged, so it can always be read back by its route.
            if (expected) Assert.Equal(id, Uri.EscapeDataString(id).Replace("%40", "@").Replace("%3A", ":"));
        });
}
