using Microsoft.Playwright;

namespace Chorus.BrowserTests;

/// <summary>Steps that several journeys share, written the way a person does them.</summary>
public static class Pages
{
    /// <summary>
    /// Interactive pages are prerendered. Organization pages and API tokens show a loading state until the circuit
    /// connects, but the layout's menus are visible before then and ignore clicks. The layout marks the moment it
    /// becomes interactive.
    /// </summary>
    public static Task WaitForInteractivityAsync(this IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync();

    public static async Task LogInAsync(this IPage page, string email, string password = ChorusServer.Password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    /// <summary>
    /// Picks a file in an <c>InputFile</c>. Blazor attaches the input's change listener with a JS call after the
    /// render that created it, so a file set before then is never seen: wait for the mark that call leaves.
    /// </summary>
    public static async Task ChooseFileAsync(this IPage page, string label, string path)
    {
        var input = page.GetByLabel(label, new() { Exact = true });
        await input.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.WaitForFunctionAsync("label => [...document.querySelectorAll('input[type=file]')].some(e => e.getAttribute('aria-label') === label && e._blazorInputFileNextFileId !== undefined)", label);
        await input.SetInputFilesAsync(path);
    }

    /// <summary>Full-page screenshots for people to look at; test-artifacts/ is git-ignored.</summary>
    public static async Task SaveScreenshotAsync(this IPage page, string name, bool fullPage = true)
    {
        var folder = Path.Combine(RepositoryRoot(), "test-artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var size = page.ViewportSize!.Width < 600 ? "phone" : "desktop";
        // Transitions finish first: MudBlazor slides the drawer and content into place once the circuit connects.
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, $"{name}-{size}.png"),
            FullPage = fullPage,
            Animations = ScreenshotAnimations.Disabled,
        });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Chorus.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Chorus.slnx not found above " + AppContext.BaseDirectory);
    }
}
