using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Orchestrator.WebConsole.Tests;

/// <summary>One signed-in (or not yet) browser tab on the console, with screenshots and the axe check.</summary>
public sealed class ConsolePage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>Where screenshots go: artifacts/console-screenshots at the repository's root.</summary>
    public static readonly string ScreenshotDirectory = Directory.CreateDirectory(Path.Combine(RepositoryRoot(), "artifacts", "console-screenshots")).FullName;

    public static async Task<ConsolePage> OpenAsync(IBrowser browser, Uri server, int width = 1200, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(20_000);
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_CONSOLE_TRACE") is { Length: > 0 })
            await context.Tracing.StartAsync(new() { Screenshots = true, Snapshots = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return new ConsolePage(context, page);
    }

    public async Task SignInAsync(string token)
    {
        await Page.GetByLabel("Operator token").FillAsync(token);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#who-name")).ToBeVisibleAsync();
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    /// <summary>axe-core over the page as it is now: no serious or critical violation.</summary>
    public async Task AssertAccessibleAsync()
    {
        var results = await Page.RunAxe();
        var bad = results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))})").ToList();
        Assert.True(bad.Count == 0, string.Join('\n', bad));
    }

    /// <summary>The page is no wider than the window (no sideways scrolling); else the elements that stick out.</summary>
    public async Task AssertNoSidewaysScrollingAsync(string what)
    {
        var wider = await Page.EvaluateAsync<string[]>("""
            () => document.documentElement.scrollWidth <= window.innerWidth ? [] :
              [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className : ''} right ${Math.round(e.getBoundingClientRect().right)}`)
            """);
        Assert.True(wider.Length == 0, $"{what} scrolls sideways at {Page.ViewportSize?.Width} px: {string.Join("; ", wider.Take(12))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_CONSOLE_TRACE") is { Length: > 0 } dir)
            await context.Tracing.StopAsync(new() { Path = Path.Combine(dir, $"{Guid.NewGuid():N}.zip") });
        await context.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }
}
