using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Chorus.BrowserTests.BrowserFixture))]

namespace Chorus.BrowserTests;

/// <summary>
/// One Chromium for the whole run (launching it is the slow part); every test gets its own browser context, so
/// cookies and storage never leak between tests. Uses Debian's chromium: Playwright's browser downloads are not
/// available here, and the package is what CI installs too.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Browser tests need Chromium at {ChromiumPath}. Install it with: apt-get update && apt-get install -y chromium");
        }

        // The machine running the suite may be busy (CI runs every browser test at once on 2 cores, some with two servers
        // and their own PostgreSQL): assertions wait longer than Playwright's 5 s before giving up. It is one process-wide
        // setting, so it is made here, once, for every test (a test setting it itself would change it for the others).
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh, isolated browser (its own cookies) pointed at one server.</summary>
    public async Task<IPage> NewPageAsync(ChorusServer server, ViewportSize? viewport = null)
    {
        var phone = viewport?.Width < 600;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseUrl,
            ViewportSize = viewport ?? Desktop,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "en-US",
            TimezoneId = "America/Chicago",
        });
        context.SetDefaultTimeout(15_000);
        server.Closes(context);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
