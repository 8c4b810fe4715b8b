using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Calls.Input;

namespace Orchestrator.Core.Tests.Calls;

public sealed class ToolInputReaderTests
{
    private static ToolInputResult Read(string tool, string json) =>
        ToolInputReader.Read(tool, JsonDocument.Parse(json).RootElement.Clone());

    [Theory]
    [InlineData("Bash", "{\"command\":null}", "input.command is null")]
    [InlineData("Bash", "{\"command\":5}", "input.command must be a string, not a number")]
    [InlineData("Bash", "{\"command\":[\"ls\"]}", "input.command must be a string, not an array")]
    [InlineData("Bash", "{\"command\":{}}", "input.command must be a string, not an object")]
    [InlineData("Bash", "{\"command\":true}", "input.command must be a string, not a boolean")]
    [InlineData("Bash", "{}", "input.command is required for Bash (a string)")]
    [InlineData("Bash", "{\"command\":\"ls\",\"timeout\":\"10\"}", "input.timeout must be a number, not a string")]
    [InlineData("Bash", "{\"command\":\"ls\",\"run_in_background\":1}", "input.run_in_background must be a boolean, not a number")]
    [InlineData("Read", "{\"file_path\":7}", "input.file_path must be a string")]
    [InlineData("Edit", "{\"file_path\":\"/a\",\"replace_all\":\"yes\"}", "input.replace_all must be a boolean")]
    [InlineData("Glob", "{\"path\":\"/a\"}", "input.pattern is required for Glob")]
    [InlineData("WebFetch", "{\"url\":null}", "input.url is null")]
    [InlineData("mcp__x__y", "{\"title\":null}", "input.title is null")]
    [InlineData("Bash", "[\"ls\"]", "input must be a JSON object")]
    [InlineData("Bash", "\"ls\"", "input must be a JSON object")]
    public void Null_missing_or_mistyped_fields_are_refused_naming_the_field_and_the_type(string tool, string json, string message)
    {
        var result = Read(tool, json);
        Assert.Null(result.Values);
        Assert.Contains(message, result.Error);
    }

    [Theory]
    [InlineData("Read", "{\"file_path\":\"notes.md\"}", "input.file_path must be an absolute path, not 'notes.md'")]
    [InlineData("Write", "{\"file_path\":\"./a.txt\",\"content\":\"x\"}", "input.file_path must be an absolute path")]
    [InlineData("Edit", "{\"file_path\":\"\"}", "input.file_path is empty")]
    [InlineData("MultiEdit", "{\"file_path\":\"/a\\u0000b\"}", "input.file_path contains a NUL character")]
    [InlineData("NotebookEdit", "{\"notebook_path\":\"n.ipynb\"}", "input.notebook_path must be an absolute path")]
    public void A_file_path_that_is_relative_empty_or_holds_a_nul_is_refused_at_ingress_before_any_policy(string tool, string json, string message)
    {
        var result = Read(tool, json);
        Assert.Null(result.Values);
        Assert.Contains(message, result.Error);
    }

    [Theory]
    [InlineData("Bash", "{\"command\":\"ls \xC3\x28\"}")]
    [InlineData("Bash", "{\"command\":\"ls\",\"descr\xFFiption\":\"x\"}")]
    [InlineData("mcp__x__y", "{\"items\":[\"a\",{\"b\":\"\xED\xA0\x80\"}]}")]
    [InlineData("Bash", "{\"command\":\"ls \\ud800\"}")]
    [InlineData("Bash", "{\"command\":\"ls\",\"\\udc00\":1}")]
    [InlineData("mcp__x__y", "{\"items\":[{\"b\":\"a\\udfff\"}]}")]
    public void Text_that_is_not_valid_unicode_anywhere_in_the_input_is_refused_not_thrown(string tool, string latin1)
    {
        // The bytes as sent (not UTF-8, or a lone surrogate escaped in the JSON): JsonDocument decodes a string only when it is read.
        var bytes = System.Text.Encoding.Latin1.GetBytes(latin1);
        var result = ToolInputReader.Read(tool, JsonDocument.Parse(bytes).RootElement.Clone());
        Assert.Null(result.Values);
        Assert.Equal($"input {Orchestrator.Core.Text.JsonText.Problem}", result.Error);
    }

    [Fact]
    public void An_absolute_file_path_passes_the_ingress_check() =>
        Assert.Equal("/work/a.txt", Read("Read", "{\"file_path\":\"/work/a.txt\"}").Values!["file_path"]);

    [Fact]
    public void A_missing_input_is_refused_for_a_tool_with_a_required_field_and_empty_for_others()
    {
        Assert.Contains("input.command is required", ToolInputReader.Read("Bash", null).Error);
        Assert.Empty(ToolInputReader.Read("mcp__x__y", null).Values!);
    }

    [Fact]
    public void Typed_fields_become_their_text_and_structured_values_their_compact_json()
    {
        var result = Read("Bash", "{\"command\":\"ls -la\",\"timeout\":120000,\"run_in_background\":false,\"extra\":{\"a\":[1,2]}}");
        Assert.Null(result.Error);
        Assert.Equal("ls -la", result.Values![ToolInputKeys.Command]);
        Assert.Equal("120000", result.Values["timeout"]);
        Assert.Equal("false", result.Values["run_in_background"]);
        Assert.Equal("{\"a\":[1,2]}", result.Values["extra"]);
    }

    [Fact]
    public void Mcp_tools_take_any_non_null_field()
    {
        var result = Read("mcp__github__create_issue", "{\"title\":\"x\",\"labels\":[\"a\"],\"count\":3}");
        Assert.Null(result.Error);
        Assert.Equal(3, result.Values!.Count);
    }

    [Fact]
    public void Deeply_nested_values_are_refused()
    {
        var deep = new string('[', 40) + new string(']', 40);
        Assert.Contains("nested deeper", Read("mcp__x__y", "{\"a\":" + deep + "}").Error);
    }
}
