using System.Globalization;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.TimeZones;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Infrastructure.Hosting;

/// <summary>
/// The demo organization's launched campaign, so a newcomer can log in as a texter and text at once: a script with a
/// survey question, talking points, canned responses and 120 voters. The voters are Americans living abroad, each with
/// their own time zone, so that at any hour of the day some of them are inside the texting window (a campaign of
/// voters in the 50 states has nobody to text for several hours each night). Their numbers are in the fictional
/// 555-01XX block: a demo must never text a real person, even if a real provider is configured later.
/// </summary>
internal static class DemoCampaign
{
    public const string Title = "Overseas ballot reminder";

    private static readonly string[] Zones =
    [
        "Pacific/Honolulu", "America/Los_Angeles", "America/New_York", "America/Sao_Paulo", "Europe/London", "Europe/Berlin",
        "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
    ];

    private static readonly string[] AreaCodes = ["202", "212", "312", "415", "512", "617", "702", "713", "808", "919"];

    private static readonly string[] FirstNames =
    [
        "Ada", "Ben", "Chloe", "Diego", "Emma", "Farah", "Gabe", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Marco", "Nia", "Omar",
        "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Yara",
    ];

    private static readonly string[] LastNames = ["Alvarez", "Brooks", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Johnson"];

    /// <summary>Creates and launches the campaign, unless the organization has one already.</summary>
    public static async Task SeedAsync(Organization organization, AuditActor owner, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Campaigns.IgnoreQueryFilters().AnyAsync(c => c.OrganizationId == organization.Id, ct))
        {
            return;
        }

        current.Set(organization.Id, organization.Slug, OrgRole.Owner);
        var campaign = Check(await CreateCampaign.ExecuteAsync(
            new CreateCampaign.Request(Title, "Registered voters living abroad who haven't returned their ballot yet."), owner, current, db, clock, ct));
        var question = new SaveScript.QuestionRequest(null, "Have you sent your ballot back?",
        [
            new SaveScript.AnswerRequest("Already sent", "Thank you! You can track it at your state's ballot tracker.", null),
            new SaveScript.AnswerRequest("Not yet", "No problem: most states take it by email or fax from abroad. Want the link for yours?", null),
            new SaveScript.AnswerRequest("Need a new ballot", "Request one at fvap.gov and it comes by email, usually within a day.", null),
        ]);
        Check(await SaveScript.ExecuteAsync(campaign.Id,
            new SaveScript.Request("Hi {firstName}, it's {texterFirstName} with {orgName}. Ballots from overseas voters are due soon: have you sent yours back? Reply STOP to opt out", question),
            owner, db, clock, ct));
        Check(await UpdateCampaign.ExecuteAsync(campaign.Id, new UpdateCampaign.Request(null, null, null, null,
            "- Ballots from abroad count if they arrive by the state's deadline; many states take them by email or fax.\n"
            + "- A lost ballot is no problem: **fvap.gov** sends a new one.\n- Never argue; thank everyone for their time.",
            BatchSize: 20), owner, db, clock, ct));
        Check(await CannedResponses.CreateAsync(campaign.Id, new CannedResponses.Request("Where do I get a ballot?",
            "You can request one at fvap.gov: it takes five minutes and comes by email.", ["logistics"]), owner, current, db, clock, ct));
        Check(await CannedResponses.CreateAsync(campaign.Id, new CannedResponses.Request("Wrong number",
            "Sorry about that! We'll take you off our list.", ["wrong-number"]), owner, current, db, clock, ct));

        var now = clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < 120; i++)
        {
            // Located as an upload locates a row with a time zone column (ContactImporter).
            var phone = string.Create(CultureInfo.InvariantCulture, $"+1{AreaCodes[i % AreaCodes.Length]}55501{i / AreaCodes.Length:00}");
            var location = ContactTimeZoneResolver.Resolve(Zones[i % Zones.Length], null, phone, organization.DefaultTimeZone);
            db.Contacts.Add(new Contact
            {
                OrganizationId = organization.Id,
                CampaignId = campaign.Id,
                PhoneE164 = phone,
                FirstName = FirstNames[i % FirstNames.Length],
                LastName = LastNames[i / FirstNames.Length % LastNames.Length],
                TimeZones = string.Join(',', location.TimeZones),
                TimeZoneSource = location.Source.ToString(),
                State = location.State,
                CreatedUtc = now,
            });
        }

        await db.SaveChangesAsync(ct);
        Check(await ChangeCampaignStatus.ExecuteAsync(campaign.Id, ChangeCampaignStatus.Transition.Launch, owner, db, clock, ct));
    }

    private static T Check<T>(Outcome<T> outcome) =>
        outcome.Failure is { } failure ? throw new InvalidOperationException($"The demo campaign could not be set up: {failure.Message}") : outcome.Value!;
}
