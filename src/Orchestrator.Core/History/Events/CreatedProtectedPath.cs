namespace Orchestrator.Core.History.Events;

/// <summary>
/// A protected path (a protected name at any depth of a writable root, e.g. <c>src/.vscode</c> or <c>lib/.git</c>)
/// that did not exist when the command started and appeared while it ran. No sandbox layer can stop a new name from
/// being created without also stopping ordinary files, so such a path is found after the run and undone: moved into
/// Orchestrator's quarantine (<see cref="MovedTo"/>), recoverable, never deleted.
/// </summary>
/// <param name="OtherRunsActive">
/// Other sandboxed runs that were going on in the same writable root when it was found: any of them may have made it
/// (it is reported in each of them; the first to end moves it).
/// </param>
/// <param name="Note">Why it was not moved (gone already, or the move failed), or null.</param>
public sealed record CreatedProtectedPath(string Path, string? MovedTo, string? Note, int OtherRunsActive);
