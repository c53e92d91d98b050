using Chorus.Features.Accounts;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class AnalyticsTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task The_campaign_dashboard_shows_the_numbers_and_counts_a_reply_that_arrives_live()
    {
        var owner = await server.CreateUserAsync("ines@example.org", "Inés Duarte");
        var slug = await server.CreateOrganizationAsync("Duarte for Council", owner);
        var texter = await server.CreateUserAsync("kofi@example.org", "Kofi Mensah");
        await server.AddMemberAsync(slug, owner, texter, OrgRole.Texter);
        var question = new SaveScript.QuestionRequest(null, "Will you vote early?", [new SaveScript.AnswerRequest("Yes", "Great!", null), new SaveScript.AnswerRequest("No", "Thanks.", null)]);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Early vote push", "Hi {firstName}, will you vote early? Reply STOP to opt out", question);
        await server.SeedContactsAsync(slug, campaignId, ("Ada", "Lovelace", "+16145550201"), ("Grace", "Hopper", "+16145550202"), ("Alan", "Turing", "+16145550203"), ("Mary", "Jackson", "+16145550204"));
        await TextedAsync(campaignId, texter, MessageStatus.Delivered, MessageStatus.Delivered, MessageStatus.Delivered, MessageStatus.Failed);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("ines@example.org");

        await page.GotoAsync($"/orgs/{slug}/analytics/campaigns/{campaignId}");
        await page.WaitForInteractivityAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Early vote push" })).ToBeVisibleAsync();
        await Expect(Stat(page, "Contacts")).ToHaveTextAsync("4");
        await Expect(Stat(page, "Sent")).ToHaveTextAsync("4");
        await Expect(Stat(page, "Delivered")).ToHaveTextAsync("3");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Delivered", Exact = true })).ToContainTextAsync("75.0% delivery rate");
        await Expect(Stat(page, "Replied")).ToHaveTextAsync("0");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Texters" })).ToContainTextAsync("Kofi Mensah");

        await server.InjectInboundAsync(slug, "+16145550201", "Yes, I'll vote early <b>for sure</b>");

        await Expect(Stat(page, "Replied")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Replied", Exact = true })).ToContainTextAsync("25.0% response rate");
        await page.SaveScreenshotAsync("analytics-campaign");

        var phone = await browser.NewPageAsync(server, BrowserFixture.Phone);
        await phone.LogInAsync("ines@example.org");
        await phone.GotoAsync($"/orgs/{slug}/analytics/campaigns/{campaignId}");
        await Expect(Stat(phone, "Replied")).ToHaveTextAsync("1");
        await phone.SaveScreenshotAsync("analytics-campaign");
        await phone.GotoAsync($"/orgs/{slug}/analytics");
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = "Early vote push" })).ToBeVisibleAsync();
        await phone.SaveScreenshotAsync("analytics-overview");
        await page.GotoAsync($"/orgs/{slug}/analytics");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Early vote push" })).ToBeVisibleAsync();
        await page.SaveScreenshotAsync("analytics-overview");
    }

    private static ILocator Stat(IPage page, string label) => page.GetByRole(AriaRole.Group, new() { Name = label, Exact = true }).Locator(".stat-value");

    /// <summary>The campaign's contacts, in order, got their first text from <paramref name="texter"/> and ended in these states, as the pipeline leaves them.</summary>
    private async Task TextedAsync(Guid campaignId, AppUser texter, params MessageStatus[] statuses)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var contacts = await db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId).OrderBy(c => c.PhoneE164).ToListAsync(ct);
        foreach (var (contact, status) in contacts.Zip(statuses))
        {
            db.Messages.Add(new Message
            {
                OrganizationId = contact.OrganizationId,
                CampaignId = campaignId,
                ContactId = contact.Id,
                Direction = MessageDirection.Outbound,
                Kind = MessageKind.Initial,
                Phone = contact.PhoneE164,
                OurNumber = "+12025550100",
                Body = "Hi, will you vote early? Reply STOP to opt out",
                Segments = 1,
                Provider = MessagingSettings.Simulator,
                ProviderMessageId = $"SM{Guid.NewGuid():N}",
                Status = status,
                ErrorCode = status == MessageStatus.Failed ? 30007 : null,
                Carrier = "Verizon Wireless",
                TexterUserId = texter.Id,
                CreatedUtc = now,
                UpdatedUtc = now,
                NotBeforeUtc = now,
            });
            contact.ConversationStatus = ConversationStatus.Messaged;
            contact.TexterUserId = texter.Id;
            contact.SenderNumber = "+12025550100";
            contact.LastMessageUtc = now;
        }

        await db.SaveChangesAsync(ct);
    }
}
