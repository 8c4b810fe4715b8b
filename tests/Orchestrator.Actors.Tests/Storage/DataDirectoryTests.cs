using Orchestrator.Actors.Storage;

namespace Orchestrator.Actors.Tests.Storage;

public sealed class DataDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root = Directory.CreateTempSubdirectory("orchestrator-datadir-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_missing_data_directory_is_created_for_its_owner_only()
    {
        var path = DataDirectory.Ensure(Path.Combine(_root, "new", "data"));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void An_existing_data_directory_open_to_others_is_closed_to_its_owner()
    {
        var path = Path.Combine(_root, "shared");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        DataDirectory.Ensure(path);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }
}
