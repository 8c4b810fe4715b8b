using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Paths;

/// <summary>
/// A gitignore-style path rule as Claude Code permission rules write them (<c>Read(./.env)</c>, <c>Edit(src/**)</c>,
/// <c>Read(~/.ssh/**)</c>, <c>Edit(//etc/**)</c>, <c>Read(*.pem)</c>), compiled once into an anchor directory and
/// per-segment matchers.
/// </summary>
/// <remarks>
/// Anchors: <c>//x</c> is the absolute <c>/x</c>; <c>~/x</c> is below home; <c>/x</c> is below the settings directory;
/// <c>./x</c> and <c>x</c> are below the working directory. A pattern without a slash (other than a trailing one)
/// matches that name at any depth below the working directory. Whatever a pattern matches, it also matches everything
/// beneath it, so a directory pattern covers its contents; a trailing slash therefore changes nothing.
/// The literal leading part of a pattern is resolved both lexically and physically (following symlinks as they are
/// at parse time), and a path matches under either spelling, so rules keep working on canonical paths such as
/// macOS's <c>/private/tmp</c>.
/// </remarks>
public sealed class PathPattern
{
    private const int StackSegments = 64;

    private readonly ImmutableArray<string> _anchors;
    private readonly GlobSegment[] _segments;
    private readonly StringComparison _comparison;

    private PathPattern(string spec, ImmutableArray<string> anchors, GlobSegment[] segments, bool ignoreCase)
    {
        Spec = spec;
        _anchors = anchors;
        _segments = segments;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    /// <summary>The pattern as written.</summary>
    public string Spec { get; }

    /// <summary>Absolute directories below which the glob part is matched (lexical and physical spellings).</summary>
    public ImmutableArray<string> Anchors => _anchors;

    /// <summary>
    /// Whether anything after the anchor is a wildcard. Without one the pattern names exactly its anchor (under either
    /// spelling) and everything beneath it: <c>./.env</c>, <c>~/.ssh/**</c>; <c>.env</c> (any depth) and <c>*.pem</c> have one.
    /// </summary>
    public bool HasWildcards => _segments.Length > 1;

    public override string ToString() => Spec;

    public static PathPatternParseResult Parse(string spec, PathPatternBase bases) =>
        TryParse(spec, bases, out var pattern, out var error)
            ? new PathPatternParseResult(pattern, null)
            : new PathPatternParseResult(null, error);

    public static bool TryParse(string spec, PathPatternBase bases,
        [NotNullWhen(true)] out PathPattern? pattern, [NotNullWhen(false)] out string? error)
    {
        pattern = null;
        if (string.IsNullOrEmpty(spec))
        {
            error = "empty path pattern";
            return false;
        }
        if (spec.Contains('\0'))
        {
            error = "path pattern contains a NUL character";
            return false;
        }
        if (spec.Length > PathText.MaxLength)
        {
            error = $"path pattern longer than {PathText.MaxLength} characters";
            return false;
        }

        if (SplitAnchor(spec, bases, out var baseDirectory, out var rest, out var floating) is { } anchorError)
        {
            error = anchorError;
            return false;
        }
        if (baseDirectory.Length == 0 || baseDirectory[0] != '/' || baseDirectory.Contains('\0'))
        {
            error = $"pattern base directory '{baseDirectory}' is not absolute";
            return false;
        }

        var ignoreCase = bases.ResolvedIgnoreCase;
        var literalPrefix = new List<string>();
        var globs = new List<GlobSegment>();
        if (floating)
            globs.Add(GlobSegment.DoubleStar);

        foreach (var text in rest.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!GlobSegment.TryCompile(text, ignoreCase, out var segment, out error))
                return false;
            var inLiteralPrefix = globs.Count == 0;
            if (inLiteralPrefix && segment.IsLiteral)
            {
                literalPrefix.Add(segment.LiteralText);
                continue;
            }
            if (segment.IsLiteral && segment.LiteralText == ".")
                continue;
            if (segment.IsLiteral && segment.LiteralText == "..")
            {
                error = "'..' after a wildcard is not supported in path patterns";
                return false;
            }
            globs.Add(segment);
        }

        // "Whatever matches, everything beneath matches too" is a trailing ** (which also matches zero segments).
        if (globs.Count == 0 || !globs[^1].IsDoubleStar)
            globs.Add(GlobSegment.DoubleStar);

        var anchorPath = literalPrefix.Aggregate(baseDirectory, (directory, name) => directory + "/" + name);
        var lexical = PathText.NormalizeLexically(anchorPath);
        var anchors = ImmutableArray.Create(lexical);
        var physical = PathCanonicalizer.Canonicalize(anchorPath, "/", "/");
        if (physical.IsResolved && physical.FullPath != lexical)
            anchors = anchors.Add(physical.FullPath);

        pattern = new PathPattern(spec, anchors, globs.ToArray(), ignoreCase);
        error = null;
        return true;
    }

    private static string? SplitAnchor(string spec, PathPatternBase bases, out string baseDirectory, out string rest, out bool floating)
    {
        floating = false;
        baseDirectory = bases.WorkingDirectory;
        rest = spec;
        if (spec.StartsWith("//", StringComparison.Ordinal))
        {
            baseDirectory = "/";
            rest = spec[2..];
        }
        else if (spec[0] == '~')
        {
            if (spec.Length > 1 && spec[1] != '/')
                return "unsupported ~user form in path pattern";
            baseDirectory = bases.HomeDirectory;
            rest = spec[1..];
        }
        else if (spec[0] == '/')
        {
            baseDirectory = bases.SettingsDirectory;
            rest = spec[1..];
        }
        else if (spec == "." || spec.StartsWith("./", StringComparison.Ordinal))
        {
            rest = spec[1..];
        }
        else
        {
            var name = spec.TrimEnd('/');
            floating = !name.Contains('/') && name != "..";
        }
        return null;
    }

    /// <summary>
    /// Whether the pattern names <paramref name="absolutePath"/> explicitly: its literal leading part reaches that path
    /// or goes below it (<c>~/.ssh/known_hosts</c> and <c>~/.ssh/**</c> name <c>~/.ssh</c>; <c>~/**</c>, <c>**</c> and
    /// <c>**/.ssh/**</c> do not). Only such a rule may override a protection that exists for that path.
    /// </summary>
    public bool NamesPathAtOrBelow(string absolutePath)
    {
        foreach (var anchor in _anchors)
            if (PathText.IsSameOrUnder(anchor, absolutePath, _comparison))
                return true;
        return false;
    }

    /// <summary>Whether <paramref name="absolutePath"/>, already canonical, is matched.</summary>
    public bool Matches(string absolutePath)
    {
        if (string.IsNullOrEmpty(absolutePath) || absolutePath[0] != '/')
            return false;
        foreach (var anchor in _anchors)
        {
            if (!PathText.IsSameOrUnder(absolutePath, anchor, _comparison))
                continue;
            var rest = anchor.Length == 1 ? absolutePath.AsSpan(1) : absolutePath.AsSpan(anchor.Length);
            if (MatchesBelowAnchor(rest))
                return true;
        }
        return false;
    }

    private bool MatchesBelowAnchor(ReadOnlySpan<char> rest)
    {
        // Only the implicit trailing ** remains: everything under the anchor matches.
        if (_segments.Length == 1)
            return true;

        var count = rest.Count('/') + 1;
        Range[]? rented = null;
        var ranges = count <= StackSegments ? stackalloc Range[StackSegments] : (rented = ArrayPool<Range>.Shared.Rent(count));
        try
        {
            var used = 0;
            foreach (var range in rest.Split('/'))
            {
                if (range.End.Value > range.Start.Value)
                    ranges[used++] = range;
            }
            return MatchSegments(rest, ranges[..used]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<Range>.Shared.Return(rented);
        }
    }

    /// <summary>Segment-level wildcard match where ** plays the part of '*': backtracking to the last ** suffices.</summary>
    private bool MatchSegments(ReadOnlySpan<char> path, ReadOnlySpan<Range> names)
    {
        int p = 0, s = 0, starPattern = -1, starName = -1;
        while (s < names.Length)
        {
            if (p < _segments.Length && _segments[p].IsDoubleStar)
            {
                starPattern = p++;
                starName = s;
                continue;
            }
            if (p < _segments.Length && _segments[p].Matches(path[names[s]]))
            {
                p++;
                s++;
                continue;
            }
            if (starPattern < 0)
                return false;
            p = starPattern + 1;
            s = ++starName;
        }
        while (p < _segments.Length && _segments[p].IsDoubleStar)
            p++;
        return p == _segments.Length;
    }
}
