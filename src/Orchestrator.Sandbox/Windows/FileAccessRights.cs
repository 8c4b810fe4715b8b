namespace Orchestrator.Sandbox.Windows;

/// <summary>File and directory access rights (values are the Win32 constants), with the composites the plans use.</summary>
[Flags]
public enum FileAccessRights
{
    None = 0,
    ReadData = 0x1,
    WriteData = 0x2,
    AppendData = 0x4,
    ReadExtendedAttributes = 0x8,
    WriteExtendedAttributes = 0x10,
    Execute = 0x20,
    DeleteChild = 0x40,
    ReadAttributes = 0x80,
    WriteAttributes = 0x100,
    Delete = 0x10000,
    ReadControl = 0x20000,
    WriteDac = 0x40000,
    WriteOwner = 0x80000,
    Synchronize = 0x100000,

    /// <summary>Read and traverse: data, attributes, extended attributes, security descriptor.</summary>
    ReadAndExecute = ReadData | ReadExtendedAttributes | Execute | ReadAttributes | ReadControl | Synchronize,

    /// <summary>Every way of changing content, metadata or security, including deleting.</summary>
    AnyWrite = WriteData | AppendData | WriteExtendedAttributes | WriteAttributes | DeleteChild | Delete | WriteDac | WriteOwner,

    /// <summary>Reading and every kind of writing: what a hidden path denies.</summary>
    AnyAccess = ReadAndExecute | AnyWrite,

    /// <summary>Read, write and delete, but not DeleteChild (so a deny of Delete on a child cannot be bypassed) nor WriteDac/WriteOwner.</summary>
    Modify = ReadAndExecute | WriteData | AppendData | WriteExtendedAttributes | WriteAttributes | Delete,
}
