namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// The file types Grep's <c>type</c> accepts, each a list of file-name globs. ripgrep is given these very globs
/// (<c>--type-add</c>), never its own built-in list, so ripgrep and the .NET fallback pick the same files.
/// </summary>
public static class GrepTypes
{
    private static readonly Dictionary<string, string[]> Globs = new(StringComparer.Ordinal)
    {
        ["c"] = ["*.c", "*.h"],
        ["cpp"] = ["*.cpp", "*.cc", "*.cxx", "*.hpp", "*.hh", "*.hxx", "*.h"],
        ["cs"] = ["*.cs", "*.csx"],
        ["css"] = ["*.css", "*.scss"],
        ["go"] = ["*.go"],
        ["html"] = ["*.html", "*.htm"],
        ["java"] = ["*.java"],
        ["js"] = ["*.js", "*.jsx", "*.mjs", "*.cjs", "*.vue"],
        ["json"] = ["*.json"],
        ["kotlin"] = ["*.kt", "*.kts"],
        ["md"] = ["*.md", "*.markdown", "*.mdx"],
        ["php"] = ["*.php"],
        ["py"] = ["*.py", "*.pyi"],
        ["rb"] = ["*.rb", "Gemfile", "Rakefile"],
        ["rust"] = ["*.rs"],
        ["sh"] = ["*.sh", "*.bash", "*.zsh"],
        ["sql"] = ["*.sql"],
        ["swift"] = ["*.swift"],
        ["toml"] = ["*.toml"],
        ["ts"] = ["*.ts", "*.tsx", "*.cts", "*.mts"],
        ["txt"] = ["*.txt"],
        ["xml"] = ["*.xml", "*.csproj", "*.props", "*.targets"],
        ["yaml"] = ["*.yaml", "*.yml"],
    };

    public static IEnumerable<string> Names => Globs.Keys.Order(StringComparer.Ordinal);

    public static bool IsKnown(string type) => Globs.ContainsKey(type);

    public static IReadOnlyList<string> GlobsOf(string type) => Globs[type];

    /// <summary>One glob matching a file name of the type (<c>{*.rs}</c>), for the .NET walk.</summary>
    public static ToolGlob Matcher(string type) => ToolGlob.TryCompile("{" + string.Join(',', Globs[type]) + "}", out _)!;
}
