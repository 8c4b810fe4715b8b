using System.Text.Json;
using CsCheck;
using Orchestrator.Core.Adapters;

namespace Orchestrator.Core.Tests.Adapters;

public class ChannelPermissionRequestTests
{
    private static JsonElement Params(object value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public void A_whole_preview_is_the_tools_input_and_the_verdict_names_the_request()
    {
        var (request, problem) = ChannelPermissionRequest.Parse(Params(new
        {
            request_id = "tbxkq", tool_name = "Bash", description = "Run tests", input_preview = """{"command": "bun test"}""",
        }));

        Assert.Null(problem);
        Assert.Equal(("tbxkq", "Bash", "Run tests"), (request!.RequestId, request.ToolName, request.Description));
        Assert.Equal("bun test", request.Input!.Value.GetProperty("command").GetString());
        Assert.Null(request.Unreadable);
        Assert.Equal("""{"request_id":"tbxkq","behavior":"deny"}""", ChannelPermissionRequest.Verdict("tbxkq", allow: false).ToJsonString());
    }

    [Fact]
    public void Request_ids_are_exactly_five_letters_a_to_z_without_l()
    {
        Gen.Char['a', 'z'].Array[5].Select(c => new string(c)).Sample(id =>
            ChannelPermissionRequest.IsRequestId(id) == !id.Contains('l'));
        Gen.String.Sample(id => !ChannelPermissionRequest.IsRequestId(id) || (id.Length == 5 && id.All(c => c is >= 'a' and <= 'z' and not 'l')));
    }

    [Theory]
    [InlineData("""{"command": "echo cut""", "not whole JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData(null, "no input_preview")]
    public void A_preview_that_is_not_one_whole_object_is_unreadable_not_guessed(string? preview, string problem)
    {
        var (request, _) = ChannelPermissionRequest.Parse(Params(new { request_id = "abcde", tool_name = "Bash", input_preview = preview }));

        Assert.Null(request!.Input);
        Assert.Contains(problem, request.Unreadable);
    }

    [Fact]
    public void Oversized_fields_are_bounded_and_hostile_ones_refused()
    {
        var huge = ChannelPermissionRequest.Parse(Params(new
        {
            request_id = "abcde", tool_name = "Bash", description = new string('d', 100_000),
            input_preview = new string(' ', ChannelPermissionRequest.MaxPreviewChars) + "{}",
        })).Request!;
        Assert.Equal(ChannelPermissionRequest.MaxDescriptionChars + 1, huge.Description.Length);
        Assert.Contains("more than", huge.Unreadable);

        Assert.Contains("request_id", ChannelPermissionRequest.Parse(Params(new { request_id = 12345, tool_name = "Bash" })).Problem);
        Assert.Contains("tool_name", ChannelPermissionRequest.Parse(Params(new { request_id = "abcde", tool_name = "no such/tool" })).Problem);
        Assert.NotNull(ChannelPermissionRequest.Parse(Params(new[] { 1 })).Problem);
        Assert.NotNull(ChannelPermissionRequest.Parse(null).Problem);
    }
}
