namespace Orchestrator.Actors.Journal;

/// <summary>
/// Receives a statement's values in its parameters' order, each as the type it is stored as: a backend binds them
/// straight away (no array of boxed values per row).
/// </summary>
internal interface IRowValues
{
    void Text(string? value);

    void Long(long? value);

    void Bytes(byte[]? value);
}
