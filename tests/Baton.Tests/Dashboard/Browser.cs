using Microsoft.Playwright;

namespace Baton.Tests.Dashboard;

/// <summary>
/// Debian's <c>chromium</c>, driven by Playwright (whose own browser download cannot work here). A missing browser
/// fails the test with the way to install it — a browser test never skips quietly. Screenshots go to
/// <c>TestResults/dashboard/</c> at the repository root, kept as test artifacts.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const int PhoneWidth = 390;
    public const int DesktopWidth = 1280;

    readonly IPlaywright playwright;

    Browser(IPlaywright playwright, IBrowser chromium)
    {
        this.playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"Browser tests need Debian's chromium at {ChromiumPath}: run scripts/test (it installs it) or 'apt-get install -y chromium'.");
        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container has no user namespace for Chromium's sandbox.
            Args = ["--no-sandbox"],
        });
        return new Browser(playwright, chromium);
    }

    /// <summary>Where screenshots are kept: <c>TestResults/dashboard</c> beside <c>Baton.slnx</c>.</summary>
    public static string ArtifactsFolder
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Baton.slnx"))) folder = folder.Parent;
            var root = folder?.FullName ?? AppContext.BaseDirectory;
            return Directory.CreateDirectory(Path.Combine(root, "TestResults", "dashboard")).FullName;
        }
    }

    /// <summary>Full-page screenshots of <paramref name="page"/> at phone and desktop widths, named <c>{name}-390.png</c>
    /// and <c>{name}-1280.png</c>; the page is left at desktop width.</summary>
    public static async Task ScreenshotsAsync(IPage page, string name)
    {
        foreach (var width in new[] { PhoneWidth, DesktopWidth })
        {
            await page.SetViewportSizeAsync(width, 900);
            var path = Path.Combine(ArtifactsFolder, $"{name}-{width}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            Assert.True(new FileInfo(path).Length > 0, $"empty screenshot {path}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        playwright.Dispose();
    }
}
