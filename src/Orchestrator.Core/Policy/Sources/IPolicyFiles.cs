namespace Orchestrator.Core.Policy.Sources;

/// <summary>
/// Everything the policy loader reads: the settings and rules files, and the listing of a rules directory. Loading
/// through this, and only this, is what lets a loaded policy be recorded byte for byte (<see cref="RecordingPolicyFiles"/>),
/// rebuilt from the record without the disk (<see cref="RecordedPolicyFiles"/>) and checked for change.
/// </summary>
public interface IPolicyFiles
{
    /// <summary>What is at <paramref name="path"/>: a file's bytes, a directory's file names, nothing, or why it could not be read.</summary>
    PolicyFileObservation Observe(string path);
}
