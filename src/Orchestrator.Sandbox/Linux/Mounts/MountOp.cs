namespace Orchestrator.Sandbox.Linux.Mounts;

/// <summary>
/// One mount the helper makes in its own mount namespace, in command-line order (parents before children). Shared by
/// the launcher (which plans them) and the NativeAOT helper (which parses and makes them).
/// </summary>
public sealed record MountOp(MountOpKind Kind, string Path)
{
    public string Option => Kind switch
    {
        MountOpKind.Protect => "--protect",
        MountOpKind.Hide => "--hide",
        MountOpKind.Expose => "--expose",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };
}

public enum MountOpKind
{
    /// <summary><c>--protect</c>: the path bound read-only over itself (with everything beneath it).</summary>
    Protect,

    /// <summary><c>--hide</c>: an empty read-only tmpfs over a directory, an empty read-only file over anything else.</summary>
    Hide,

    /// <summary><c>--expose</c>: a path inside a hidden directory bound back, read-only, on top of its tmpfs.</summary>
    Expose,
}
