using System.Net;
using Chorus.Features.Analytics.Exports;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Analytics.ExportKit;

namespace Chorus.IntegrationTests.Features.Analytics;

public sealed class ExportTests
{
    private const string Hostile = "=HYPERLINK(\"http://evil.example\",\"Click\")";

    /// <summary>A campaign with two custom fields and a two-question survey, and a texter.</summary>
    private static async Task<(TestOrg Org, TestUser Texter, Campaign Campaign, ScriptQuestion Survey)> CampaignAsync(ChorusApp app)
    {
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var survey = new ScriptQuestion(Guid.NewGuid(), "Will you vote early?",
            [new ScriptAnswer("Yes", "Great!", new ScriptQuestion(Guid.NewGuid(), "Need a ride?", [new ScriptAnswer("Yes", "", null)])), new ScriptAnswer("No", "", null)]);
        var campaign = new Campaign
        {
            OrganizationId = org.Id,
            Title = "GOTV North",
            CustomFields = ["precinct", "note"],
            QuestionJson = survey.ToJson(),
            CreatedUtc = ChorusApp.Start.UtcDateTime,
            UpdatedUtc = ChorusApp.Start.UtcDateTime,
        };
        await SaveAsync(app, campaign);
        return (org, texter, campaign, survey);
    }

    private static Contact Contact(TestOrg org, Guid campaignId, string phone, string first = "Ana", string last = "Rivera", string custom = "{}") => new()
    {
        OrganizationId = org.Id,
        CampaignId = campaignId,
        PhoneE164 = phone,
        FirstName = first,
        LastName = last,
        CustomFields = custom,
        TimeZones = "America/New_York",
        TimeZoneSource = "Explicit",
        State = "NY",
        CreatedUtc = ChorusApp.Start.UtcDateTime,
    };

    [Theory, BothDatabases]
    public async Task A_contacts_export_has_a_column_per_field_custom_field_and_question_and_opens_safely_in_a_spreadsheet(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var (org, texter, campaign, survey) = await CampaignAsync(app);
        var hostile = Contact(org, campaign.Id, "+12124567001", first: Hostile, last: "O\"Brien\nJr", custom: """{"precinct":"Hall B, Room 2","note":"+1 555 call me"}""");
        hostile.TexterUserId = texter.Id;
        hostile.ConversationStatus = ConversationStatus.NeedsResponse;
        hostile.Tags = """["volunteer","needs ride"]""";
        var plain = Contact(org, campaign.Id, "+12124567002", first: "Ben", last: "Ng", custom: """{"precinct":"P-7","note":"@SUM(A1:A9)"}""");
        plain.ConversationStatus = ConversationStatus.OptedOut;
        var optedOutAt = ChorusApp.Start.UtcDateTime.AddHours(2);
        await SaveAsync(app, hostile, plain,
            new SurveyResponse { OrganizationId = org.Id, CampaignId = campaign.Id, ContactId = hostile.Id, StepId = survey.Id, Answer = "Yes", RecordedUtc = ChorusApp.Start.UtcDateTime },
            new SurveyResponse { OrganizationId = org.Id, CampaignId = campaign.Id, ContactId = hostile.Id, StepId = survey.Answers[0].Question!.Id, Answer = "-maybe", RecordedUtc = ChorusApp.Start.UtcDateTime },
            new OptOut { OrganizationId = org.Id, PhoneE164 = plain.PhoneE164, Source = "keyword", CreatedUtc = optedOutAt });

        var (text, export) = await ExportAsync(org, "contacts", campaign.Id);
        var rows = Parse(text);
        var byPhone = rows.Skip(1).ToDictionary(r => r[4]);

        Assert.Equal(
            "\uFEFF\"contact_id\",\"external_id\",\"first_name\",\"last_name\",\"phone\",\"zip\",\"state\",\"time_zone\",\"precinct\",\"note\",\"status\",\"texter\",\"tags\",\"Will you vote early?\",\"Need a ride?\",\"opted_out_utc\",\"link_clicks\",\"first_click_utc\"\r\n",
            text[..(text.IndexOf('\n', StringComparison.Ordinal) + 1)]);
        Assert.Equal(3, rows.Count);
        Assert.Equal(2, export.Rows);
        Assert.Equal(
            [hostile.Id.ToString("D"), "", "'" + Hostile, "O\"Brien\nJr", "+12124567001", "", "NY", "America/New_York", "Hall B, Room 2", "'+1 555 call me",
                "needs-response", texter.Email, "volunteer; needs ride", "Yes", "'-maybe", "", "0", ""],
            byPhone["+12124567001"]);
        Assert.Equal(["'@SUM(A1:A9)", "opted-out", "", "", "", "", "2026-11-03 17:00:00", "0", ""], byPhone["+12124567002"][9..]);
        Assert.Contains("+12124567001,", text, StringComparison.Ordinal); // the phone column is our E.164, not neutralized
    }

    [Theory, BothDatabases]
    public async Task A_messages_export_lists_every_message_of_the_campaign_or_of_the_organization(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var (org, texter, campaign, _) = await CampaignAsync(app);
        var other = new Campaign { OrganizationId = org.Id, Title = "Other", CreatedUtc = ChorusApp.Start.UtcDateTime, UpdatedUtc = ChorusApp.Start.UtcDateTime };
        var contact = Contact(org, campaign.Id, "+12124567001");
        await SaveAsync(app, other, contact);
        var sent = Message(org, campaign.Id, contact.Id, MessageDirection.Outbound, MessageKind.Initial, "Hi Ana, it's Sam. Polls open 7am–8pm,\r\n\"bring ID\"", MessageStatus.Failed, texter.Id);
        sent.ErrorCode = 30007;
        var reply = Message(org, campaign.Id, contact.Id, MessageDirection.Inbound, MessageKind.Incoming, "@SUM(1+1) lol", MessageStatus.Received, texter.Id);
        var elsewhere = Message(org, other.Id, null, MessageDirection.Outbound, MessageKind.Reply, "-- other campaign", MessageStatus.Delivered, null);
        await SaveAsync(app, sent, reply, elsewhere);

        var (campaignText, _) = await ExportAsync(org, "messages", campaign.Id);
        var (orgText, _) = await ExportAsync(org, "messages");
        var rows = Parse(campaignText);

        Assert.Equal(
            "\"message_id\",\"created_utc\",\"direction\",\"kind\",\"campaign_id\",\"contact_id\",\"phone\",\"our_number\",\"texter\",\"status\",\"error_code\",\"error_message\",\"body\",\"segments\",\"carrier\",\"provider\",\"provider_message_id\"",
            campaignText[1..campaignText.IndexOf('\r', StringComparison.Ordinal)]);
        Assert.Equal(3, rows.Count);
        // Both messages share a timestamp, and version-7 ids made in the same millisecond have no set order.
        var sentRow = rows.Single(r => r[0] == sent.Id.ToString("D"));
        var replyRow = rows.Single(r => r[0] == reply.Id.ToString("D"));
        Assert.Equal([sent.Id.ToString("D"), "2026-11-03 15:00:00", "outbound", "initial", campaign.Id.ToString("D"), contact.Id.ToString("D"), "+12124567001", "", texter.Email,
            "failed", "30007", "", "Hi Ana, it's Sam. Polls open 7am–8pm,\r\n\"bring ID\"", "1", "", "simulator", ""], sentRow);
        Assert.Equal(["inbound", "incoming", "'@SUM(1+1) lol"], [replyRow[2], replyRow[3], replyRow[12]]);
        Assert.Equal(4, Parse(orgText).Count);
        Assert.Contains("\"'-- other campaign\"", orgText, StringComparison.Ordinal);
    }

    private static Message Message(TestOrg org, Guid campaignId, Guid? contactId, MessageDirection direction, MessageKind kind, string body, MessageStatus status, Guid? texterId) => new()
    {
        OrganizationId = org.Id,
        CampaignId = campaignId,
        ContactId = contactId,
        Direction = direction,
        Kind = kind,
        Phone = "+12124567001",
        Body = body,
        Segments = 1,
        Provider = "simulator",
        Status = status,
        TexterUserId = texterId,
        CreatedUtc = ChorusApp.Start.UtcDateTime,
        UpdatedUtc = ChorusApp.Start.UtcDateTime,
    };

    [Theory, BothDatabases]
    public async Task The_opt_out_and_audit_exports_cover_the_organization_and_neutralize_what_people_typed(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        await SaveAsync(app, new OptOut { OrganizationId = org.Id, PhoneE164 = "+12124567009", Source = "manual", Reason = "=cmd|' /C calc'!A0", CreatedByUserId = org.Owner.Id, CreatedUtc = ChorusApp.Start.UtcDateTime });

        var (optOuts, _) = await ExportAsync(org, "opt-outs");
        var (audit, _) = await ExportAsync(org, "audit");
        var auditRows = Parse(audit);

        Assert.Equal("\uFEFF\"phone\",\"source\",\"reason\",\"added_by\",\"opted_out_utc\"\r\n+12124567009,manual,\"'=cmd|' /C calc'!A0\"," + $"\"{org.Owner.Email}\",2026-11-03 15:00:00\r\n", optOuts);
        Assert.Equal(["sequence", "occurred_utc", "actor", "actor_user_id", "action", "subject", "data", "previous_hash", "hash"], auditRows[0]);
        Assert.Equal(Enumerable.Range(1, auditRows.Count - 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), auditRows.Skip(1).Select(r => r[0]));
        Assert.Contains(auditRows, r => r[4] == "export.requested" && r[2] == org.Owner.Email);
    }

    [Theory, BothDatabases]
    public async Task Requesting_completing_and_downloading_an_export_are_each_on_the_audit_log(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var (_, export) = await ExportAsync(org, "opt-outs");
        var entries = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.OrganizationId == org.Id && e.Subject == $"export:{export.Id}").OrderBy(e => e.Sequence).ToListAsync(Ct));

        Assert.Equal(["export.requested", "export.completed", "export.downloaded"], entries.Select(e => e.Action));
        Assert.Equal([org.Owner.Id, null, org.Owner.Id], entries.Select(e => e.ActorUserId));
        Assert.Contains("\"kind\":\"opt-outs\"", entries[0].Data, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Only_admins_export_and_nobody_reaches_another_organizations_campaign_or_export(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var (org, texter, campaign, _) = await CampaignAsync(app);
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);
        var (otherOrg, _, otherCampaign, _) = await CampaignAsync(app);
        var otherExport = await StartExportAsync(otherOrg, "audit");
        var mine = await WaitForAsync(org, await StartExportAsync(org, "contacts", campaign.Id));

        var byTexter = await RequestAsync(texter.Client, org, "contacts", campaign.Id);
        var bySupervisor = await RequestAsync(supervisor.Client, org, "opt-outs");
        var texterDownload = await texter.Client.GetAsync(new Uri(mine.DownloadUrl!, UriKind.Relative), Ct);
        var texterList = await texter.Client.GetAsync(Url(org), Ct);
        var foreignCampaign = await RequestAsync(org.Owner.Client, org, "contacts", otherCampaign.Id);
        var foreignExport = await org.Owner.Client.GetAsync(Url(org, $"/{otherExport}"), Ct);
        var foreignDownload = await org.Owner.Client.GetAsync(Url(org, $"/{otherExport}/download"), Ct);
        var outsider = await org.Owner.Client.GetAsync(Url(otherOrg), Ct);

        await byTexter.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await bySupervisor.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await texterDownload.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await texterList.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await foreignCampaign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await foreignExport.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await foreignDownload.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await outsider.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task A_request_for_an_unknown_kind_or_without_the_campaign_it_needs_is_refused_with_the_reason(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var (org, _, campaign, _) = await CampaignAsync(app);

        var unknown = await (await RequestAsync(org.Owner.Client, org, "voters")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var noCampaign = await (await RequestAsync(org.Owner.Client, org, "contacts")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var campaignOnAudit = await (await RequestAsync(org.Owner.Client, org, "audit", campaign.Id)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var stored = await app.WithDbAsync(db => db.Exports.IgnoreQueryFilters().CountAsync(Ct));

        Assert.Equal("There is no 'voters' export; kind is one of contacts, messages, opt-outs, audit.", unknown.GetProperty("detail").GetString());
        Assert.True(unknown.GetProperty("errors").TryGetProperty("kind", out _));
        Assert.Equal("A contacts export is of one campaign: give its campaignId.", noCampaign.GetProperty("detail").GetString());
        Assert.Contains("leave out campaignId", campaignOnAudit.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, stored);
    }

    [Theory, BothDatabases]
    public async Task An_empty_campaign_exports_a_file_with_just_the_header(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = new Campaign { OrganizationId = org.Id, Title = "Empty", CreatedUtc = ChorusApp.Start.UtcDateTime, UpdatedUtc = ChorusApp.Start.UtcDateTime };
        await SaveAsync(app, campaign);

        var (text, export) = await ExportAsync(org, "contacts", campaign.Id);

        Assert.Equal("\uFEFF\"contact_id\",\"external_id\",\"first_name\",\"last_name\",\"phone\",\"zip\",\"state\",\"time_zone\",\"status\",\"texter\",\"tags\",\"opted_out_utc\",\"link_clicks\",\"first_click_utc\"\r\n", text);
        Assert.Equal(0, export.Rows);
        Assert.Equal(1.0, export.Progress);
    }

    [Theory, BothDatabases]
    public async Task Downloading_before_the_export_completes_answers_409_with_its_progress(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider, runWorker: false);
        var org = await app.Seed.OrganizationAsync();
        var id = await StartExportAsync(org, "audit");

        var queued = await (await org.Owner.Client.GetAsync(Url(org, $"/{id}"), Ct)).ReadAsync<GetExport.Response>(HttpStatusCode.OK);
        var early = await (await org.Owner.Client.GetAsync(Url(org, $"/{id}/download"), Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var list = await (await org.Owner.Client.GetAsync(Url(org), Ct)).ReadAsync<GetExport.ListResponse>(HttpStatusCode.OK);

        Assert.Equal(("queued", "audit", null, 0.0), (queued.Status, queued.Kind, queued.DownloadUrl, queued.Progress));
        Assert.Equal("The export is still queued (0%); download it once its status is completed.", early.GetProperty("detail").GetString());
        Assert.Equal([id], list.Items.Select(i => i.Id));
    }

    [Theory, BothDatabases]
    public async Task An_export_left_running_by_a_stopped_worker_is_written_again_and_failed_after_three_tries(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider, runWorker: false);
        var org = await app.Seed.OrganizationAsync();
        var resumed = new Export { OrganizationId = org.Id, Kind = ExportKind.Audit, Status = ExportStatus.Running, Attempts = 1, ClaimToken = Guid.NewGuid(), HeartbeatUtc = ChorusApp.Start.UtcDateTime, CreatedUtc = ChorusApp.Start.UtcDateTime };
        var hopeless = new Export { OrganizationId = org.Id, Kind = ExportKind.OptOuts, Status = ExportStatus.Running, Attempts = ExportWorker.MaxAttempts, ClaimToken = Guid.NewGuid(), HeartbeatUtc = ChorusApp.Start.UtcDateTime, CreatedUtc = ChorusApp.Start.UtcDateTime.AddSeconds(1) };
        await SaveAsync(app, resumed, hopeless);

        var tooSoon = await ExportWorker.RunOnceAsync(Scopes(app), Ct);
        app.Clock.Advance(ExportWorker.StaleAfter + TimeSpan.FromSeconds(1));
        var first = await ExportWorker.RunOnceAsync(Scopes(app), Ct);
        var second = await ExportWorker.RunOnceAsync(Scopes(app), Ct);
        var failed = await app.WithDbAsync(db => db.Exports.IgnoreQueryFilters().AsNoTracking().FirstAsync(e => e.Id == hopeless.Id, Ct));

        Assert.Null(tooSoon);
        Assert.Equal((resumed.Id, ExportStatus.Completed), (first!.ExportId, first.Status));
        Assert.Equal((hopeless.Id, ExportStatus.Failed), (second!.ExportId, second.Status));
        Assert.Equal("The export was interrupted 3 times (the server stopped while writing it); request it again.", failed.Error);
        await DownloadAsync(org.Owner.Client, $"/api/v1/orgs/{org.Slug}/exports/{resumed.Id}/download");
    }

    [Theory, BothDatabases]
    public async Task Files_older_than_the_retention_period_are_deleted_and_their_download_answers_410(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var (_, export) = await ExportAsync(org, "audit");

        app.Clock.Advance(TimeSpan.FromDays(6));
        var early = await ExportWorker.CleanUpAsync(Scopes(app), Ct);
        app.Clock.Advance(TimeSpan.FromDays(1.1));
        var due = await ExportWorker.CleanUpAsync(Scopes(app), Ct);
        var gone = await (await org.Owner.Client.GetAsync(new Uri(export.DownloadUrl!, UriKind.Relative), Ct)).ShouldBeProblemAsync(HttpStatusCode.Gone);
        var after = await WaitForAsync(org, export.Id);

        Assert.Equal((0, 1), (early, due));
        Assert.Contains("retention period (7 days)", gone.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(after.DownloadUrl);
        Assert.NotNull(after.ExpiredUtc);
    }
}
