namespace Orchestrator.Sandbox.Linux.Landlock;

/// <summary>Which rights, scopes and features a given Landlock ABI version supports.</summary>
public static class LandlockAbi
{
    public const int FirstWithRefer = 2;
    public const int FirstWithTruncate = 3;
    public const int FirstWithNetwork = 4;
    public const int FirstWithIoctlDev = 5;
    public const int FirstWithScopes = 6;

    private const LandlockFsAccess Abi1Fs = (LandlockFsAccess)((1UL << 13) - 1);

    /// <summary>Rights that a rule on a non-directory may carry.</summary>
    public const LandlockFsAccess FileRights =
        LandlockFsAccess.Execute | LandlockFsAccess.WriteFile | LandlockFsAccess.ReadFile
        | LandlockFsAccess.Truncate | LandlockFsAccess.IoctlDev;

    public const LandlockFsAccess ReadExecute =
        LandlockFsAccess.Execute | LandlockFsAccess.ReadFile | LandlockFsAccess.ReadDir;

    /// <summary>
    /// Everything beneath a writable root except creating device nodes: a process running as root could otherwise
    /// make a block device node in its workspace and open the raw disk through it.
    /// </summary>
    public const LandlockFsAccess ReadWrite =
        (LandlockFsAccess)ulong.MaxValue & ~(LandlockFsAccess.MakeChar | LandlockFsAccess.MakeBlock);

    public const LandlockFsAccess ReadFileOnly = LandlockFsAccess.ReadFile;

    public const LandlockFsAccess ReadWriteFile =
        LandlockFsAccess.ReadFile | LandlockFsAccess.WriteFile | LandlockFsAccess.Truncate | LandlockFsAccess.IoctlDev;

    public static LandlockFsAccess HandledFs(int abi)
    {
        if (abi < 1)
        {
            return LandlockFsAccess.None;
        }

        var rights = Abi1Fs;
        if (abi >= FirstWithRefer)
        {
            rights |= LandlockFsAccess.Refer;
        }

        if (abi >= FirstWithTruncate)
        {
            rights |= LandlockFsAccess.Truncate;
        }

        if (abi >= FirstWithIoctlDev)
        {
            rights |= LandlockFsAccess.IoctlDev;
        }

        return rights;
    }

    public static LandlockNetAccess HandledNet(int abi) =>
        abi >= FirstWithNetwork ? LandlockNetAccess.BindTcp | LandlockNetAccess.ConnectTcp : LandlockNetAccess.None;

    public static LandlockScope Scopes(int abi) =>
        abi >= FirstWithScopes ? LandlockScope.AbstractUnixSocket | LandlockScope.Signal : LandlockScope.None;
}
