using Microsoft.Playwright;

namespace Orchestrator.WebConsole.Tests;

/// <summary>
/// Debian's chromium (installed by ops/setup.sh), driven by Playwright; no browser is ever downloaded. Without it the
/// browser cases are skipped, each naming why (<see cref="ChromiumFactAttribute"/>).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly string? Missing = File.Exists(ExecutablePath) ? null
        : $"CHROMIUM IS MISSING: {ExecutablePath} does not exist, so the web console's browser tests did not run (ops/setup.sh installs it with apt-get)";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Missing is not null)
        {
            await Console.Error.WriteLineAsync(Missing);
            return;
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>A browser case: skipped, saying so, when chromium is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Missing is not null) Skip = Chromium.Missing;
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<Chromium>
{
    public const string Name = "chromium";
}
