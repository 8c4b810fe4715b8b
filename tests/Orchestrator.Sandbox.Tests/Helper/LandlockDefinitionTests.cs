using System.Runtime.CompilerServices;
using Orchestrator.Sandbox.Linux.Landlock;

namespace Orchestrator.Sandbox.Tests.Helper;

public sealed class LandlockDefinitionTests
{
    [Fact]
    public void Path_beneath_attr_is_packed_to_twelve_bytes()
    {
        Assert.Equal(12, Unsafe.SizeOf<LandlockPathBeneathAttr>());
    }

    [Fact]
    public void Ruleset_attr_has_the_abi_6_size()
    {
        Assert.Equal(24, Unsafe.SizeOf<LandlockRulesetAttr>());
    }

    [Theory]
    [InlineData(0, 0x0UL)]
    [InlineData(1, 0x1FFFUL)]
    [InlineData(2, 0x3FFFUL)]
    [InlineData(3, 0x7FFFUL)]
    [InlineData(4, 0x7FFFUL)]
    [InlineData(5, 0xFFFFUL)]
    [InlineData(7, 0xFFFFUL)]
    public void Handled_filesystem_rights_grow_with_the_abi(int abi, ulong expected)
    {
        Assert.Equal(expected, (ulong)LandlockAbi.HandledFs(abi));
    }

    [Fact]
    public void Network_and_scopes_need_their_abi()
    {
        Assert.Equal(LandlockNetAccess.None, LandlockAbi.HandledNet(3));
        Assert.Equal(LandlockNetAccess.BindTcp | LandlockNetAccess.ConnectTcp, LandlockAbi.HandledNet(4));
        Assert.Equal(LandlockScope.None, LandlockAbi.Scopes(5));
        Assert.Equal(LandlockScope.AbstractUnixSocket | LandlockScope.Signal, LandlockAbi.Scopes(6));
    }

    [Fact]
    public void File_rights_exclude_every_directory_right()
    {
        const LandlockFsAccess directoryOnly = LandlockFsAccess.ReadDir | LandlockFsAccess.RemoveDir | LandlockFsAccess.RemoveFile
            | LandlockFsAccess.MakeChar | LandlockFsAccess.MakeDir | LandlockFsAccess.MakeReg | LandlockFsAccess.MakeSock
            | LandlockFsAccess.MakeFifo | LandlockFsAccess.MakeBlock | LandlockFsAccess.MakeSym | LandlockFsAccess.Refer;
        Assert.Equal(LandlockFsAccess.None, LandlockAbi.FileRights & directoryOnly);
    }
}
