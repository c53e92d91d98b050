using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Chorus.Features.Campaigns;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class IntegrationsTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    private sealed record Received(string Body, string Id, string Timestamp, string Signature);

    [Fact]
    public async Task An_admin_connects_a_webhook_copies_its_secret_once_and_sees_an_opt_out_delivered_signed()
    {
        var ct = TestContext.Current.CancellationToken;
        var received = new ConcurrentQueue<Received>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        await using var receiver = receiverBuilder.Build();
        receiver.Urls.Add("http://127.0.0.1:0");
        receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            received.Enqueue(new Received(await reader.ReadToEndAsync(), request.Headers["Chorus-Webhook-Id"].ToString(),
                request.Headers["Chorus-Webhook-Timestamp"].ToString(), request.Headers["Chorus-Webhook-Signature"].ToString()));
            return Results.Ok();
        });
        await receiver.StartAsync(ct);
        var hookUrl = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

        var owner = await server.CreateUserAsync("nia@example.org", "Nia Brooks");
        var slug = await server.CreateOrganizationAsync("Brooks for Senate", owner);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("nia@example.org");
        await page.GotoAsync($"/orgs/{slug}/integrations");
        await page.WaitForInteractivityAsync();
        await Expect(page.GetByText("No integrations yet")).ToBeVisibleAsync();

        var form = page.GetByRole(AriaRole.Form, new() { Name = "Add an integration" });
        await form.GetByRole(AriaRole.Combobox, new() { Name = "Kind" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Outbound webhook" }).ClickAsync();
        await Expect(form.GetByLabel("Settings (JSON)")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"url\""));
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("Data warehouse");
        await form.GetByLabel("Settings (JSON)").FillAsync($$"""{"url": "http://example.com/hook", "events": ["contact.opted_out"]}""");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Expect(form).ToContainTextAsync("https");
        await form.GetByLabel("Settings (JSON)").FillAsync($$"""{"url": "{{hookUrl}}", "events": ["contact.opted_out"]}""");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();

        var card = page.GetByRole(AriaRole.Region, new() { Name = "Data warehouse" }).Or(page.Locator("[aria-label='Data warehouse']"));
        await Expect(card).ToContainTextAsync("Outbound webhook");
        await card.GetByRole(AriaRole.Button, new() { Name = "New signing secret" }).ClickAsync();
        var secretText = card.GetByLabel("Signing secret", new() { Exact = true });
        await Expect(secretText).ToBeVisibleAsync();
        var secret = await secretText.InnerTextAsync();
        Assert.Equal(43, secret.Length);
        await page.AssertAccessibleAsync("The integrations page");
        await page.SaveScreenshotAsync("integrations");

        await server.AddOptOutAsync(slug, owner, "+16145550199", "manual", "Asked by phone");
        // The worker polls every two seconds; give it a generous margin on a loaded machine.
        for (var waited = 0; received.IsEmpty && waited < 150; waited++)
        {
            await Task.Delay(200, ct);
        }

        var hook = Assert.Single(received);
        Assert.Contains("\"type\":\"contact.opted_out\"", hook.Body, StringComparison.Ordinal);
        Assert.Contains("+16145550199", hook.Body, StringComparison.Ordinal);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{hook.Timestamp}.{hook.Body}")));
        Assert.Equal($"v1={expected}", hook.Signature);

        // The secret is not shown again after a reload; the log shows the delivery and the receiver's answer.
        await page.ReloadAsync();
        await page.WaitForInteractivityAsync();
        await Expect(page.GetByLabel("Signing secret", new() { Exact = true })).ToHaveCountAsync(0);
        await card.GetByRole(AriaRole.Button, new() { Name = "Delivery log" }).ClickAsync();
        var row = card.GetByRole(AriaRole.Row).Filter(new() { HasText = "contact.opted_out" });
        await Expect(row).ToContainTextAsync("succeeded");
        await Expect(row).ToContainTextAsync("200");
        await Expect(card).ToContainTextAsync("1 delivered");
        await page.SaveScreenshotAsync("integrations-log");
    }

    [Fact]
    public async Task An_admin_connects_VAN_maps_a_survey_question_by_name_and_imports_a_saved_list()
    {
        await using var van = await FakeVan.StartAsync();
        van.AddSavedList(7001, "Persuasion universe", 40);
        var owner = await server.CreateUserAsync("omar@example.org", "Omar Haddad");
        var slug = await server.CreateOrganizationAsync("Haddad for Mayor", owner);
        var question = new SaveScript.QuestionRequest(null, "Can we count on your support?", [
            new SaveScript.AnswerRequest("Yes", "Thank you!", null),
            new SaveScript.AnswerRequest("No", "Thanks for letting us know.", null),
        ]);
        await server.CreateCampaignAsync(slug, owner, "Persuasion", "Hi {firstName}, it's {texterFirstName} with {orgName}. Reply STOP to opt out", question);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("omar@example.org");
        await page.GotoAsync($"/orgs/{slug}/integrations");
        await page.WaitForInteractivityAsync();

        var form = page.GetByRole(AriaRole.Form, new() { Name = "Add an integration" });
        await form.GetByRole(AriaRole.Combobox, new() { Name = "Kind" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "NGP VAN / EveryAction" }).ClickAsync();
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("VAN – My Campaign");
        await form.GetByLabel("Application name").FillAsync(van.ApplicationName);
        await form.GetByLabel("API key").FillAsync(van.ApiKey);
        await form.GetByLabel("Settings (JSON)").FillAsync($$"""{"mode": "MyCampaign", "baseUrl": "{{van.BaseUrl}}"}""");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();

        var card = page.Locator("[aria-label='VAN – My Campaign']");
        await card.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByText("Connected.")).ToBeVisibleAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "VAN mapping and imports" }).ClickAsync();
        var mapping = page.GetByRole(AriaRole.Region, new() { Name = "NGP VAN mapping" });
        var row = mapping.GetByRole(AriaRole.Group, new() { Name = "Question Can we count on your support?" });
        await row.GetByRole(AriaRole.Combobox, new() { Name = "VAN survey question" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Candidate Support" }).ClickAsync();
        await row.GetByRole(AriaRole.Combobox, new() { Name = "“Yes” is" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Strong Support" }).ClickAsync();
        await row.GetByRole(AriaRole.Combobox, new() { Name = "“No” is" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Oppose" }).ClickAsync();
        // The list closes before Save is pressed: while it is closing, its overlay takes the click (a loaded CI run once
        // pressed Save into it, and nothing was saved).
        await Expect(page.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
        await mapping.GetByRole(AriaRole.Button, new() { Name = "Save mapping" }).ClickAsync();
        await Expect(page.GetByText("Mapping saved", new() { Exact = false })).ToBeVisibleAsync();
        // Checked once the notices have faded: axe reads a snackbar in the middle of its fade as low contrast.
        await Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await page.AssertAccessibleAsync("The Integrations page with the VAN mapping");
        await page.SaveScreenshotAsync("integrations-van");

        var import = page.GetByRole(AriaRole.Region, new() { Name = "Import a VAN saved list" });
        await import.GetByRole(AriaRole.Combobox, new() { Name = "Saved list" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Persuasion universe (40)" }).ClickAsync();
        await import.GetByRole(AriaRole.Combobox, new() { Name = "Campaign" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Persuasion" }).ClickAsync();
        await import.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        // The run goes through VAN's export job and the contact importer in the background.
        await card.GetByRole(AriaRole.Button, new() { Name = "Delivery log" }).ClickAsync();
        var runs = card.GetByRole(AriaRole.List, new() { Name = "Runs" });
        for (var attempt = 0; attempt < 60 && !(await runs.TextContentAsync() ?? "").Contains("completed", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await card.GetByRole(AriaRole.Button, new() { Name = "Hide log" }).ClickAsync();
            await card.GetByRole(AriaRole.Button, new() { Name = "Delivery log" }).ClickAsync();
        }

        await Expect(runs).ToContainTextAsync("van.list-import · completed");
    }
}
