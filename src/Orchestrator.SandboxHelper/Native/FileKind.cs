namespace Orchestrator.SandboxHelper.Native;

/// <summary>What kind of object a descriptor refers to.</summary>
internal enum FileKind
{
    Missing,
    Directory,
    SymbolicLink,
    Other,
}

internal static unsafe class FileKinds
{
    private const int AtEmptyPath = 0x1000;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxUid = 0x8;
    private const int UidOffset = 20;
    private const int ModeOffset = 28; // struct statx: mask, blksize, attributes, nlink, uid, gid, then the 16-bit mode
    private const int TypeMask = 0xF000;
    private const int Directory = 0x4000;
    private const int SymbolicLink = 0xA000;

    /// <summary>The owner of the object <paramref name="fd"/> refers to, or null when it cannot be told.</summary>
    public static uint? OwnerOf(int fd)
    {
        var buffer = stackalloc byte[256];
        return Libc.Statx(fd, "", AtEmptyPath | AtSymlinkNoFollow, StatxUid, buffer) == 0 ? *(uint*)(buffer + UidOffset) : null;
    }

    /// <summary>The kind of the object <paramref name="fd"/> (an O_PATH descriptor) refers to.</summary>
    public static FileKind Of(int fd)
    {
        var buffer = stackalloc byte[256];
        if (Libc.Statx(fd, "", AtEmptyPath | AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            return FileKind.Missing;
        }

        return (*(ushort*)(buffer + ModeOffset) & TypeMask) switch
        {
            Directory => FileKind.Directory,
            SymbolicLink => FileKind.SymbolicLink,
            _ => FileKind.Other,
        };
    }
}
