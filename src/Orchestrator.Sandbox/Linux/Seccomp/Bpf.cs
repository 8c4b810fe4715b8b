namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>The classic BPF opcodes a seccomp filter needs, and constructors for its instructions.</summary>
public static class Bpf
{
    public const ushort Ld = 0x00;
    public const ushort Jmp = 0x05;
    public const ushort Ret = 0x06;
    public const ushort W = 0x00;
    public const ushort Abs = 0x20;
    public const ushort Jeq = 0x10;
    public const ushort Jge = 0x30;
    public const ushort Jset = 0x40;
    public const ushort K = 0x00;

    public const ushort LoadWordAbsolute = Ld | W | Abs;
    public const ushort JumpIfEqual = Jmp | Jeq | K;
    public const ushort JumpIfAnyBitSet = Jmp | Jset | K;
    public const ushort Return = Ret | K;

    public static SockFilter LoadWord(uint offset) => new(LoadWordAbsolute, 0, 0, offset);

    public static SockFilter JumpEqual(uint value, byte ifTrue, byte ifFalse) => new(JumpIfEqual, ifTrue, ifFalse, value);

    public static SockFilter JumpAnySet(uint mask, byte ifTrue, byte ifFalse) => new(JumpIfAnyBitSet, ifTrue, ifFalse, mask);

    public static SockFilter Returning(uint action) => new(Return, 0, 0, action);
}
