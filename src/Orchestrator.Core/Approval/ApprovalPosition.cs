using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>
/// Where a pending approval stands in the listing: earliest deadline first, ties by approval id (ordinal). Both are fixed
/// when the approval is requested, so a position never moves while others are added or answered — a page's
/// <see cref="Cursor"/> (its last position) resumes exactly after it.
/// </summary>
public readonly record struct ApprovalPosition(DateTimeOffset Deadline, ApprovalId Id) : IComparable<ApprovalPosition>
{
    public static ApprovalPosition Of(ApprovalRequested request) => new(request.Deadline, request.ApprovalId);

    public int CompareTo(ApprovalPosition other)
    {
        var byDeadline = Deadline.UtcTicks.CompareTo(other.Deadline.UtcTicks);
        return byDeadline != 0 ? byDeadline : string.CompareOrdinal(Id.Value, other.Id.Value);
    }

    /// <summary>The opaque <c>next</c> of a page ending here (base64url of the deadline's UTC ticks and the id).</summary>
    public string Cursor => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        $"{Deadline.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id.Value}"));

    /// <summary>Reads a <see cref="Cursor"/>; false for anything this server did not hand out.</summary>
    public static bool TryParseCursor(string text, out ApprovalPosition position)
    {
        position = default;
        if (text.Length > 512) return false;
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(text); }
        catch (FormatException) { return false; }
        string decoded;
        try { decoded = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { return false; }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(decoded.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        var id = decoded[(colon + 1)..];
        if (!IdSyntax.IsValid(id)) return false;
        position = new ApprovalPosition(new DateTimeOffset(ticks, TimeSpan.Zero), new ApprovalId(id));
        return true;
    }
}
