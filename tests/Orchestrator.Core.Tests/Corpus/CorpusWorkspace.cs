using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.Corpus;

/// <summary>Builds a corpus file's world in a real temporary directory: project, home, an outside directory, the layers.</summary>
public sealed class CorpusWorkspace : IDisposable
{
    private readonly ConcurrentDictionary<string, PolicySnapshot> _snapshots = new();

    public CorpusWorkspace(CorpusFile file)
    {
        File = file;
        Root = Directory.CreateTempSubdirectory("orchestrator-corpus-").FullName;
        Project = Path.Combine(Root, "ws");
        Home = Path.Combine(Root, "home");
        Outside = Path.Combine(Root, "outside");
        foreach (var dir in new[] { Project, Home, Outside }) Directory.CreateDirectory(dir);

        foreach (var entry in file.Fs)
        {
            if (entry.Dir is { } dir) Directory.CreateDirectory(Resolve(dir));
            if (entry.File is { } f)
            {
                var path = Resolve(f);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                System.IO.File.WriteAllText(path, Expand(entry.Content ?? ""));
            }
            if (entry.Symlink is { } link)
            {
                var path = Resolve(link);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                System.IO.File.CreateSymbolicLink(path, Expand(entry.To ?? throw new InvalidDataException($"symlink {link} has no 'to'")));
            }
        }

        foreach (var (layer, content) in file.Layers)
        {
            var path = LayerPath(layer);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var text = content.ValueKind == JsonValueKind.String ? content.GetString()! : content.GetRawText();
            System.IO.File.WriteAllText(path, Expand(text));
        }
        foreach (var (name, text) in file.RulesFiles)
        {
            var path = Path.Combine(Project, ".orchestrator", "rules", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllText(path, Expand(text));
        }
    }

    public CorpusFile File { get; }
    public string Root { get; }
    public string Project { get; }
    public string Home { get; }
    public string Outside { get; }

    public string Expand(string text) =>
        text.Replace("{ws}", Project).Replace("{home}", Home).Replace("{outside}", Outside);

    /// <summary>A workspace-relative or placeholder path made absolute.</summary>
    public string Resolve(string path)
    {
        var expanded = Expand(path);
        return Path.IsPathRooted(expanded) ? expanded : Path.Combine(Project, expanded);
    }

    public PolicySnapshot Snapshot(string? mode, string? approval, string? network) =>
        _snapshots.GetOrAdd($"{mode}|{approval}|{network}", _ => PolicyLoader.Load(new PolicyLoadOptions(Project)
        {
            HomeDirectory = Home,
            ManagedSettingsPath = File.Layers.ContainsKey("managed") ? LayerPath("managed") : null,
            UserSettingsPath = LayerPath("user"),
            SettingsFiles = File.Layers.ContainsKey("commandLine") ? [LayerPath("commandLine")] : [],
            Mode = mode,
            ApprovalPolicy = approval,
            Network = network,
        }));

    private string LayerPath(string layer) => layer switch
    {
        "managed" => Path.Combine(Root, "etc", "managed-settings.json"),
        "commandLine" => Path.Combine(Root, "cli-settings.json"),
        "projectLocal" => Path.Combine(Project, ".orchestrator", "settings.local.json"),
        "project" => Path.Combine(Project, ".orchestrator", "settings.json"),
        "user" => Path.Combine(Home, ".config", "orchestrator", "settings.json"),
        _ => throw new InvalidDataException($"unknown layer '{layer}'; use managed, commandLine, projectLocal, project or user"),
    };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
