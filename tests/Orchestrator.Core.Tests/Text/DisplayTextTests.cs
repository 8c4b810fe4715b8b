using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using Orchestrator.Core.Text;

namespace Orchestrator.Core.Tests.Text;

public class DisplayTextTests
{
    [Theory]
    [InlineData("touch src/x\rls -la src", "touch src/x\\x0dls -la src")]
    [InlineData("rm -rf src\u001b[2K\u001b[1Gls -la src", "rm -rf src\\x1b[2K\\x1b[1Gls -la src")]
    [InlineData("a\nb\tc", "a\\x0ab\\x09c")]
    [InlineData("nul\0del\u007fcsi\u009b", "nul\\x00del\\x7fcsi\\x9b")]
    [InlineData("ls \u202Etxt.exe", "ls \\u202etxt.exe")]
    [InlineData("\u2066iso\u2069 \u200Frlm \u061Calm \u202Aemb\u202C", "\\u2066iso\\u2069 \\u200frlm \\u061calm \\u202aemb\\u202c")]
    [InlineData("zero\u200Bwidth\u200C\u200D\u2060\uFEFF", "zero\\u200bwidth\\u200c\\u200d\\u2060\\ufeff")]
    [InlineData("soft\u00ADhyphen line\u2028para\u2029", "soft\\xadhyphen line\\u2028para\\u2029")]
    [InlineData("tag\U000E0041\U000E007F", "tag\\U000e0041\\U000e007f")]
    public void Every_control_bidi_and_invisible_character_becomes_a_visible_escape(string text, string shown)
    {
        Assert.Equal(shown, DisplayText.Escape(text));
    }

    [Theory]
    [InlineData("git status && echo ok")]
    [InlineData("grep 'a\\.b' src/*.cs")]
    [InlineData("echo héllo wörld — ünïcode 日本語 עברית عربى 🙂")]
    [InlineData("")]
    public void Ordinary_text_in_any_script_is_shown_as_it_is(string text)
    {
        Assert.Same(text, DisplayText.Escape(text));
    }

    [Fact]
    public void An_unpaired_surrogate_becomes_an_escape()
    {
        Assert.Equal("lone\\ud800surrogate \\udc00", DisplayText.Escape("lone\uD800surrogate \uDC00"));
    }

    [Fact]
    public void Whole_blocks_keep_their_line_breaks_and_tabs()
    {
        Assert.Equal("a\n\tb\\x0d", DisplayText.Escape("a\n\tb\r", keepLineBreaks: true));
    }

    [Fact]
    public void Escaped_text_never_holds_an_unsafe_character()
    {
        Gen.String[Gen.Char, 0, 40].Sample(text =>
        {
            var shown = DisplayText.Escape(text);
            for (var i = 0; i < shown.Length; i++)
                Assert.False(DisplayText.IsUnsafe(shown[i]) && !char.IsSurrogate(shown[i]), $"U+{(int)shown[i]:x4} left in {shown}");
            Assert.DoesNotContain('\u001b', shown);
        });
    }

    [Fact]
    public void Json_made_safe_is_the_same_json()
    {
        var relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        Gen.String[Gen.Char, 0, 40].Sample(text =>
        {
            var json = JsonSerializer.Serialize(new { command = text }, relaxed);
            var safe = DisplayText.EscapeJson(json);

            Assert.Equal(text, JsonDocument.Parse(safe).RootElement.GetProperty("command").GetString());
            Assert.DoesNotContain('\u202e', safe);
        });
        Assert.Equal("{\"c\":\"a\\u202eb\"}", DisplayText.EscapeJson("{\"c\":\"a\u202eb\"}"));
    }
}
