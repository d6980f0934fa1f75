using Baton.Tests.Dashboard;
using Microsoft.Playwright;

namespace Baton.Tests.Voice;

/// <summary>Debian's chromium (as <see cref="Browser"/>) with a fake microphone playing <c>microphoneWav</c> and the
/// permission prompt answered yes. Screenshots go to <c>TestResults/voice/</c>.</summary>
public sealed class VoiceWebBrowser : IAsyncDisposable
{
    readonly IPlaywright playwright;

    VoiceWebBrowser(IPlaywright playwright, IBrowser chromium)
    {
        this.playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    public static async Task<VoiceWebBrowser> LaunchAsync(string microphoneWav)
    {
        if (!File.Exists(Browser.ChromiumPath))
            throw new InvalidOperationException($"Browser tests need Debian's chromium at {Browser.ChromiumPath}: run scripts/test or 'apt-get install -y chromium'.");
        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Browser.ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphoneWav,
                "--autoplay-policy=no-user-gesture-required",
            ],
        });
        return new VoiceWebBrowser(playwright, chromium);
    }

    /// <summary>Full-page screenshots at phone and desktop widths, <c>{name}-390.png</c> and <c>{name}-1280.png</c>.</summary>
    public static async Task ScreenshotsAsync(IPage page, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(Browser.ArtifactsFolder)!, "voice")).FullName;
        foreach (var width in new[] { Browser.PhoneWidth, Browser.DesktopWidth })
        {
            await page.SetViewportSizeAsync(width, 900);
            var path = Path.Combine(folder, $"{name}-{width}.png");
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
