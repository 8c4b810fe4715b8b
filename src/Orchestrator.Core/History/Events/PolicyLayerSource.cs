using System.Collections.Immutable;
using System.Text;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Sources;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// One path the policy loader looked at, as recorded in <see cref="PolicyLoaded"/>: the settings layer it belongs to
/// (null for a path that held nothing the policy used, or a file named by another), what was there, the SHA-256 of a
/// file's bytes, its full content (UTF-8 text, or base64 when the bytes are not UTF-8), a directory's file names, or the error.
/// </summary>
public sealed record PolicyLayerSource(
    string Path,
    PolicyFileKind Kind,
    SettingsLayer? Layer,
    string Digest,
    string? Content = null,
    bool ContentIsBase64 = false,
    ImmutableArray<string> Entries = default,
    string? Error = null)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static PolicyLayerSource From(PolicyFileObservation observed, SettingsLayer? layer)
    {
        string? content = null;
        var base64 = false;
        if (observed.Kind == PolicyFileKind.File)
        {
            try { content = StrictUtf8.GetString(observed.Bytes.AsSpan()); }
            catch (DecoderFallbackException)
            {
                content = Convert.ToBase64String(observed.Bytes.AsSpan());
                base64 = true;
            }
        }
        return new PolicyLayerSource(observed.Path, observed.Kind, layer, observed.Digest, content, base64,
            observed.Entries.IsDefault ? [] : observed.Entries, observed.Error);
    }

    /// <summary>What the loader saw, byte for byte, as it was recorded.</summary>
    public PolicyFileObservation ToObservation() => new(Path, Kind)
    {
        Bytes = Content is null ? [] : ContentIsBase64 ? [.. Convert.FromBase64String(Content)] : [.. Encoding.UTF8.GetBytes(Content)],
        Entries = Entries.IsDefault ? [] : Entries,
        Error = Error,
    };
}
