namespace Orchestrator.Sandbox.Windows;

/// <summary>JOBOBJECT_BASIC_UI_RESTRICTIONS flags (values are the Win32 constants).</summary>
[Flags]
public enum JobUiRestrictions
{
    None = 0,
    Handles = 0x1,
    ReadClipboard = 0x2,
    WriteClipboard = 0x4,
    SystemParameters = 0x8,
    DisplaySettings = 0x10,
    GlobalAtoms = 0x20,
    Desktop = 0x40,
    ExitWindows = 0x80,
}
