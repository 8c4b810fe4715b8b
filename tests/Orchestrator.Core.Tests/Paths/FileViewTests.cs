using Orchestrator.Core.Paths;

namespace Orchestrator.Core.Tests.Paths;

/// <summary>The recording view remembers what the disk said, in order; the recorded view answers only that.</summary>
public sealed class FileViewTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Recording_view_remembers_every_answer_in_the_order_asked()
    {
        _tree.File("ws/a.txt");
        _tree.Link("ws/link", "a.txt");
        var view = new RecordingFileView();

        Assert.Equal(FileEntry.Other, view.Probe(_tree.P("ws/a.txt")));
        Assert.Equal(new FileEntry(FileEntryKind.Link, "a.txt"), view.Probe(_tree.P("ws/link")));
        Assert.Equal(FileEntry.Missing, view.Probe(_tree.P("ws/none")));

        Assert.Equal(
            [
                new FileFact(_tree.P("ws/a.txt"), FileFactKind.Other),
                new FileFact(_tree.P("ws/link"), FileFactKind.Link, Target: "a.txt"),
                new FileFact(_tree.P("ws/none"), FileFactKind.Missing),
            ],
            view.Facts.Entries);
        Assert.True(view.Facts.Complete);
    }

    [Fact]
    public void A_question_asked_again_gets_the_first_answer_even_after_the_disk_changed()
    {
        _tree.Dir("ws");
        _tree.Link("ws/link", "inside");
        var view = new RecordingFileView();
        view.Probe(_tree.P("ws/link"));
        File.Delete(_tree.P("ws/link"));
        _tree.Link("ws/link", "/etc");

        Assert.Equal(new FileEntry(FileEntryKind.Link, "inside"), view.Probe(_tree.P("ws/link")));
        Assert.Single(view.Facts.Entries);
    }

    [Fact]
    public void A_failed_probe_is_recorded_and_replayed_with_the_same_error()
    {
        var view = new RecordingFileView(new FailingDisk("permission denied"));
        var live = Assert.Throws<IOException>(() => view.Probe("/x"));

        var replayed = Assert.Throws<IOException>(() => new RecordedFileView(view.Facts).Probe("/x"));
        Assert.Equal(live.Message, replayed.Message);
        Assert.Equal(FileFactKind.Unreadable, view.Facts.Entries[0].Kind);
    }

    [Fact]
    public void Directories_the_snapshot_established_are_noted_with_their_ancestors()
    {
        var view = new RecordingFileView(new FailingDisk("no disk"));
        view.AssumeDirectory("/a/b/c");
        view.AssumeDirectory("/a/b/c");

        Assert.Equal(["/a", "/a/b", "/a/b/c"], view.Facts.Entries.Select(f => f.Path));
        Assert.All(view.Facts.Entries, f => Assert.Equal(FileFactKind.Other, f.Kind));
    }

    [Fact]
    public void Glob_matches_are_recorded_by_directory_and_segment()
    {
        _tree.File("ws/b.txt");
        _tree.File("ws/a.txt");
        _tree.File("ws/.hidden.txt");
        var view = new RecordingFileView();

        Assert.Equal(["a.txt", "b.txt"], view.Matches(_tree.P("ws"), "*.txt", 10));
        File.Delete(_tree.P("ws/a.txt"));

        var recorded = new RecordedFileView(view.Facts);
        Assert.Equal(["a.txt", "b.txt"], recorded.Matches(_tree.P("ws"), "*.txt", 10));
        Assert.Throws<FactNotRecordedException>(() => recorded.Matches(_tree.P("ws"), "*.cs", 10));
    }

    [Fact]
    public void Recorded_view_refuses_what_was_not_recorded_instead_of_looking_at_the_disk()
    {
        _tree.File("ws/a.txt");
        var recorded = new RecordedFileView(FileFacts.Empty);

        var e = Assert.Throws<FactNotRecordedException>(() => recorded.Probe(_tree.P("ws/a.txt")));
        Assert.Contains("was not recorded", e.Message);
        Assert.False(typeof(IOException).IsAssignableFrom(e.GetType()));
    }

    [Fact]
    public void Past_the_caps_nothing_is_kept_and_every_replayed_question_is_refused()
    {
        var view = new RecordingFileView(new FailingDisk("unused"));
        for (var i = 0; i <= FileFacts.MaxEntries; i++) view.AssumeDirectory("/d" + i);

        Assert.False(view.Facts.Complete);
        Assert.Empty(view.Facts.Entries);
        var e = Assert.Throws<FactNotRecordedException>(() => new RecordedFileView(view.Facts).Probe("/d0"));
        Assert.Contains("more of the filesystem than is recorded", e.Message);
    }

    [Fact]
    public void Past_the_caps_the_live_evaluation_still_gets_consistent_answers()
    {
        _tree.Dir("ws");
        _tree.Link("ws/link", "inside");
        var view = new RecordingFileView();
        for (var i = 0; i <= FileFacts.MaxEntries; i++) view.AssumeDirectory("/d" + i);

        Assert.Equal(new FileEntry(FileEntryKind.Link, "inside"), view.Probe(_tree.P("ws/link")));
    }

    [Fact]
    public void A_secret_in_a_fact_is_masked_for_the_record_and_that_fact_answers_no_replay()
    {
        var secret = "ghp_" + new string('a', 36);
        var facts = new FileFacts([new FileFact("/ws/" + secret, FileFactKind.Missing), new FileFact("/ws", FileFactKind.Other)]);

        var recorded = facts.ForRecord();

        Assert.DoesNotContain(secret, recorded.Entries[0].Path);
        Assert.True(recorded.Entries[0].Masked);
        Assert.False(recorded.Entries[1].Masked);
        var view = new RecordedFileView(recorded);
        Assert.Equal(FileEntry.Other, view.Probe("/ws"));
        Assert.Contains("secret masked", Assert.Throws<FactNotRecordedException>(() => view.Probe("/ws/" + secret)).Message);
    }

    [Fact]
    public void Facts_without_a_secret_are_recorded_as_they_are()
    {
        var facts = new FileFacts([new FileFact("/ws/src", FileFactKind.Other), new FileFact("/ws/l", FileFactKind.Link, Target: "../x")]);
        Assert.Same(facts, facts.ForRecord());
    }

    [Fact]
    public void Canonicalising_through_a_recorded_view_gives_the_recorded_resolution()
    {
        _tree.Dir("ws/inside");
        _tree.DirLink("ws/link", _tree.P("ws/inside"));
        var view = new RecordingFileView();
        var live = PathCanonicalizer.Canonicalize("link/f.txt", _tree.P("ws"), "/", files: view);
        File.Delete(_tree.P("ws/link"));
        _tree.DirLink("ws/link", "/etc");

        var replayed = PathCanonicalizer.Canonicalize("link/f.txt", _tree.P("ws"), "/", files: new RecordedFileView(view.Facts));

        Assert.Equal(_tree.P("ws/inside/f.txt"), live.FullPath);
        Assert.Equal(live, replayed);
        Assert.Equal("/etc/f.txt", PathCanonicalizer.Canonicalize("link/f.txt", _tree.P("ws"), "/").FullPath);
    }

    private sealed class FailingDisk(string message) : IFileView
    {
        public FileEntry Probe(string path) => throw new IOException(message);

        public IReadOnlyList<string> Matches(string directory, string segment, int limit) => throw new IOException(message);

        public void AssumeDirectory(string directory)
        {
        }
    }
}
