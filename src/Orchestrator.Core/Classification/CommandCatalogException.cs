namespace Orchestrator.Core.Classification;

/// <summary>A command catalog that is not valid JSON or does not follow the catalog schema.</summary>
public sealed class CommandCatalogException : Exception
{
    public CommandCatalogException(string location, string message, Exception? inner = null)
        : base($"Invalid command catalog at {location}: {message}", inner)
    {
        Location = location;
    }

    /// <summary>JSON path of the offending element, e.g. <c>$.programs.rm.options.-r.risk</c>.</summary>
    public string Location { get; }
}
