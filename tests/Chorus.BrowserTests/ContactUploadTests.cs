using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class ContactUploadTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    /// <summary>Six people: one number without its area code (invalid) and Ana's number written another way (a duplicate).</summary>
    public const string Csv = """
        First Name,Last Name,Cell Phone,Zip,Polling Place
        Ana,Rivera,(212) 456-7890,10001,PS 41
        Ben,Ng,212.456.7891,10002,"Room 2, Hall B"
        Di,Po,456-0123,,Library
        Gu,Sa,2124567890,10001,PS 41
        Ha,Ta,(305) 456-7000,33101,City Hall
        Jo,Va,(646) 456-1111,,Library
        """;

    [Fact]
    public async Task An_admin_uploads_a_csv_checks_the_mapping_imports_it_and_downloads_the_rejected_rows()
    {
        var owner = await server.CreateUserAsync("rosa@example.org", "Rosa Diaz");
        var slug = await server.CreateOrganizationAsync("Eastside Votes", owner);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Early vote reminder");
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("rosa@example.org");
        await page.GotoAsync($"/orgs/{slug}/campaigns/{campaignId}");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Contacts" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No contacts yet" })).ToBeVisibleAsync();

        var path = await WriteCsvAsync("ward-3.csv", Csv);
        await page.ChooseFileAsync("Contacts CSV file", path);

        var mapping = page.GetByRole(AriaRole.List, new() { Name = "Column mapping" });
        var phone = mapping.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Cell Phone" });
        await Expect(phone).ToContainTextAsync("(212) 456-7890");
        await Expect(phone).ToContainTextAsync("Guessed from the header");
        await Expect(mapping.GetByRole(AriaRole.Combobox, new() { Name = "Cell Phone holds" })).ToHaveTextAsync("Phone");
        await Expect(mapping.GetByRole(AriaRole.Combobox, new() { Name = "Polling Place holds" })).ToHaveTextAsync("Custom field");

        await page.GetByRole(AriaRole.Button, new() { Name = "Import contacts" }).ClickAsync();

        var summary = page.GetByLabel("Import summary");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import finished" })).ToBeVisibleAsync();
        await Expect(summary.Locator(".import-stat").Filter(new() { HasText = "Rows read" })).ToContainTextAsync("6");
        await Expect(summary.Locator(".import-stat").Filter(new() { HasText = "Imported" })).ToContainTextAsync("4");
        await Expect(summary.Locator(".import-stat").Filter(new() { HasText = "Invalid" })).ToContainTextAsync("1");
        await Expect(summary.Locator(".import-stat").Filter(new() { HasText = "Duplicates" })).ToContainTextAsync("1");
        await Expect(summary.Locator(".import-stat").Filter(new() { HasText = "Opted out" })).ToContainTextAsync("0");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Download rejected rows" }).ClickAsync());
        Assert.Equal("rejected-ward-3.csv", download.SuggestedFilename);
        var lines = (await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken))
            .TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,reason,original row", lines[0]);
        var rejected = Assert.Single(lines.Skip(1));
        Assert.StartsWith("4,\"Too few digits", rejected, StringComparison.Ordinal);
        Assert.EndsWith("\"Di,Po,456-0123,,Library\"", rejected, StringComparison.Ordinal);

        var table = page.Locator(".contacts-table");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(4);
        await Expect(table).ToContainTextAsync("Ana Rivera");
        await Expect(table).ToContainTextAsync("(212) 456-7890");
        await Expect(table).ToContainTextAsync("America/New_York");
        await Expect(table).Not.ToContainTextAsync("Di Po");
        File.Delete(path);
    }

    [Fact]
    public async Task A_mapping_without_a_phone_column_is_refused_with_the_reason()
    {
        var owner = await server.CreateUserAsync("omar@example.org", "Omar Haddad");
        var slug = await server.CreateOrganizationAsync("Lakeside Forward", owner);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Town hall invite");
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("omar@example.org");
        await page.GotoAsync($"/orgs/{slug}/campaigns/{campaignId}?tab=contacts");
        await page.WaitForInteractivityAsync();

        var path = await WriteCsvAsync("no-phone.csv", "Name,Reach At,Zip\nAna,(212) 456-7890,10001\n");
        await page.ChooseFileAsync("Contacts CSV file", path);
        await Expect(page.GetByText("Choose the column that holds phone numbers: every contact needs one.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Import contacts" }).ClickAsync();

        await Expect(page.GetByText("No column holds phone numbers.", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No contacts yet" })).ToBeVisibleAsync();
        File.Delete(path);
    }

    [Fact]
    public async Task A_file_of_several_megabytes_uploads_in_pieces_and_imports_every_row()
    {
        var owner = await server.CreateUserAsync("kai@example.org", "Kai Moana");
        var slug = await server.CreateOrganizationAsync("Bayview United", owner);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Ballot chase");
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("kai@example.org");
        await page.GotoAsync($"/orgs/{slug}/campaigns/{campaignId}?tab=contacts");
        await page.WaitForInteractivityAsync();

        // 40,000 distinct valid numbers (212-456-xxxx … 212-459-xxxx) with a long note each: about 3.5 MB, many
        // SignalR messages from the browser.
        var rows = Enumerable.Range(0, 40_000).Select(i =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Voter{i},Test,(212) {456 + (i / 10_000)}-{i % 10_000:0000},10001,{new string('x', 50)}"));
        var path = await WriteCsvAsync("county.csv", "First Name,Last Name,Cell Phone,Zip,Notes\n" + string.Join('\n', rows) + "\n");
        await RecordProgressBarsAsync(page);
        await page.ChooseFileAsync("Contacts CSV file", path);
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Cell Phone holds" })).ToHaveTextAsync("Phone", new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import contacts" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import finished" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var summary = page.GetByLabel("Import summary");
        await Expect(summary.Locator(".import-stat").Filter(new() { HasText = "Imported" })).ToContainTextAsync("40,000");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Download rejected rows" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".contacts-table tbody tr")).ToHaveCountAsync(25);

        // Both bars were on screen: the upload's, moving while the file was sent, then the import's.
        var seen = await page.EvaluateAsync<ProgressBarSample[]>("() => window.progressBarsSeen");
        Assert.Contains(seen, s => s.Region == "Upload progress" && s.Value is > 0 and < 100);
        Assert.Contains(seen, s => s.Region == "Import progress");
        File.Delete(path);
    }

    [Fact]
    public async Task A_file_in_which_no_row_has_a_usable_phone_number_fails_with_the_reason_and_its_rejected_rows_download()
    {
        var owner = await server.CreateUserAsync("lena@example.org", "Lena Park");
        var slug = await server.CreateOrganizationAsync("Hillside Rising", owner);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Canvass follow-up");
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("lena@example.org");
        await page.GotoAsync($"/orgs/{slug}/campaigns/{campaignId}?tab=contacts");
        await page.WaitForInteractivityAsync();

        var path = await WriteCsvAsync("bad-numbers.csv", "First Name,Cell Phone\nAna,456-0123\nBen,\n");
        await page.ChooseFileAsync("Contacts CSV file", path);
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Cell Phone holds" })).ToHaveTextAsync("Phone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import contacts" }).ClickAsync();

        var import = page.GetByRole(AriaRole.Region, new() { Name = "Import", Exact = true });
        await Expect(import.GetByRole(AriaRole.Heading, new() { Name = "Import failed" })).ToBeVisibleAsync();
        await Expect(import.GetByRole(AriaRole.Alert)).ToHaveTextAsync("No row had a usable phone number: download the rejected rows to see why.");
        await Expect(page.GetByLabel("Import summary").Locator(".import-stat").Filter(new() { HasText = "Invalid" })).ToContainTextAsync("2");
        var download = await page.RunAndWaitForDownloadAsync(() =>
            import.GetByRole(AriaRole.Button, new() { Name = "Download rejected rows" }).ClickAsync());
        var lines = (await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken))
            .TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["line,reason,original row", "2,\"Too few digits: a US number needs a 3-digit area code and 7 more digits.\",\"Ana,456-0123\"", "3,\"No phone number.\",\"Ben,\""], lines);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No contacts yet" })).ToBeVisibleAsync();
        File.Delete(path);
    }

    /// <summary>A progress bar the page showed, in its labelled region, with its value (null while indeterminate).</summary>
    private sealed class ProgressBarSample
    {
        public string Region { get; set; } = "";
        public double? Value { get; set; }
    }

    /// <summary>
    /// Notes every visible progress bar the page shows from now on (in <c>window.progressBarsSeen</c>). An upload of a
    /// few megabytes and its import each take about a second, too short to catch reliably by polling for the bar; an
    /// observer sees every render, however brief.
    /// </summary>
    private static async Task RecordProgressBarsAsync(IPage page) => await page.EvaluateAsync("""
        () => {
            window.progressBarsSeen = [];
            new MutationObserver(() => {
                for (const bar of document.querySelectorAll('[role=status] [role=progressbar]')) {
                    const rect = bar.getBoundingClientRect();
                    if (bar.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && rect.width > 0 && rect.height > 0) {
                        const value = bar.getAttribute('aria-valuenow');
                        window.progressBarsSeen.push({ Region: bar.closest('[role=status]').getAttribute('aria-label'), Value: value === null ? null : Number(value) });
                    }
                }
            }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        }
        """);

    public static async Task<string> WriteCsvAsync(string name, string content)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"chorus-csv-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
        return path;
    }
}
