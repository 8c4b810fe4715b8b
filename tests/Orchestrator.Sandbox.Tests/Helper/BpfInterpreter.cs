using Orchestrator.Sandbox.Linux.Seccomp;

namespace Orchestrator.Sandbox.Tests.Helper;

/// <summary>Runs a seccomp program the way the kernel would, over a synthetic <c>seccomp_data</c>, for the few opcodes we emit.</summary>
internal static class BpfInterpreter
{
    public static uint Run(SeccompProgram program, uint arch, uint nr, params ulong[] args)
    {
        var code = program.Instructions;
        uint accumulator = 0;
        for (var pc = 0; pc < code.Count; pc++)
        {
            var instruction = code[pc];
            switch (instruction.Code)
            {
                case Bpf.LoadWordAbsolute:
                    accumulator = Load(instruction.K, arch, nr, args);
                    break;
                case Bpf.JumpIfEqual:
                    pc += accumulator == instruction.K ? instruction.JumpIfTrue : instruction.JumpIfFalse;
                    break;
                case Bpf.JumpIfAnyBitSet:
                    pc += (accumulator & instruction.K) != 0 ? instruction.JumpIfTrue : instruction.JumpIfFalse;
                    break;
                case Bpf.Return:
                    return instruction.K;
                default:
                    throw new InvalidOperationException($"opcode 0x{instruction.Code:x} at {pc} is not understood");
            }
        }

        throw new InvalidOperationException("the program ran off its end");
    }

    private static uint Load(uint offset, uint arch, uint nr, ulong[] args) => offset switch
    {
        SeccompData.SyscallNumber => nr,
        SeccompData.Architecture => arch,
        >= 16 and < 64 when offset % 8 == 0 => (uint)Argument(args, (int)(offset - 16) / 8),
        >= 16 and < 64 when offset % 8 == 4 => (uint)(Argument(args, (int)(offset - 20) / 8) >> 32),
        _ => throw new InvalidOperationException($"load from offset {offset} is not understood"),
    };

    private static ulong Argument(ulong[] args, int index) => index < args.Length ? args[index] : 0;
}
