namespace Orchestrator.Core.Shell;

/// <summary>
/// A here-document whose operator was seen but whose body starts after the next newline at the same or an
/// outer <c>$( )</c> level (<see cref="SubstitutionDepth"/>), as in bash.
/// </summary>
internal readonly record struct PendingHereDoc(string Delimiter, bool StripTabs, bool Expands, int OperatorOffset, int SubstitutionDepth);

/// <summary>A here-document body and the local offset where it starts.</summary>
internal readonly record struct HereDocBody(string Text, int Start);
