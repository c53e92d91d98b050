using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts.Uploads;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.Features.Records;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Records;

public sealed class ContactRecordTests
{
    private const string Phone = "+12124567890";

    private static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    private static Uri RecordUrl(TestOrg org, string phone) => Url(org, $"/records/{Uri.EscapeDataString(phone)}");

    /// <summary>
    /// The whole life of one number in one organization: uploaded in "valley.csv", texted by a texter, answers the
    /// survey question, then replies STOP.
    /// </summary>
    private static async Task<(TestOrg Org, TestUser Texter, Guid CampaignId)> LifeOfANumberAsync(ChorusApp app)
    {
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await CampaignAsync(app, org, "Early vote");
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.Status = CampaignStatus.Active;
            campaign.QuestionJson = new ScriptQuestion(Guid.NewGuid(), "Will you vote early?", [new ScriptAnswer("Yes", "", null), new ScriptAnswer("No", "", null)]).ToJson();
            return await db.SaveChangesAsync(Ct);
        });
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("first_name,last_name,phone,zip\nAna,Rivera,(212) 456-7890,10001\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "valley.csv");
        var import = await (await org.Owner.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/imports"), form, Ct)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await app.WithDbAsync(db => db.ContactImports.IgnoreQueryFilters().Where(i => i.Id == import.Id).Select(i => i.Status).FirstAsync(Ct)) != ImportStatus.Completed)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "The import did not complete.");
            await Task.Delay(50, Ct);
        }

        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var contactId = Assert.Single(batch.Contacts).Id;
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{contactId}/send"), new { }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await VoterSaysAsync(app, org, "Yes I will", "SMyes");
        var stepId = await app.WithDbAsync(async db => ScriptQuestion.FromJson((await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct)).QuestionJson)!.Id);
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contactId}/answers"), new { stepId, answer = "Yes" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await VoterSaysAsync(app, org, "STOP", "SMstop");
        await DispatchAsync(app);
        return (org, texter, campaignId);
    }

    private static async Task VoterSaysAsync(ChorusApp app, TestOrg org, string body, string sid) =>
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/inbound", Inbound(sid, Phone, "+12025550100", body), await SimulatorTokenAsync(app, org))).EnsureSuccessStatusCode();

    [Theory, BothDatabases]
    public async Task The_record_shows_the_import_the_messages_with_their_texter_the_opt_out_with_its_message_and_the_survey_answer(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, texter, campaignId) = await LifeOfANumberAsync(app);

        var record = await (await org.Owner.Client.GetAsync(RecordUrl(org, "(212) 456-7890"), Ct)).ReadAsync<GetContactRecord.Response>(HttpStatusCode.OK);

        Assert.Equal(Phone, record.Phone);
        Assert.True(record.OptedOut);
        var contact = Assert.Single(record.Contacts);
        Assert.Equal(("valley.csv", "Early vote", campaignId), (contact.FileName, contact.CampaignName, contact.CampaignId));
        Assert.Equal(org.Owner.Id, contact.ImportedBy?.Id);
        Assert.Equal(texter.Id, contact.Texter?.Id);
        Assert.Equal(
            [(MessageKind.Initial, MessageDirection.Outbound), (MessageKind.Incoming, MessageDirection.Inbound), (MessageKind.Incoming, MessageDirection.Inbound), (MessageKind.OptOutConfirmation, MessageDirection.Outbound)],
            record.Messages.Select(m => (m.Kind, m.Direction)));
        var first = record.Messages[0];
        Assert.Equal(texter.Id, first.Texter?.Id);
        Assert.NotNull(first.ActionId);
        Assert.Equal(MessageStatus.Queued, first.History[0].Status);
        Assert.Equal(first.Status, first.History[^1].Status);
        Assert.NotEqual(MessageStatus.Queued, first.Status);
        Assert.Equal(record.Messages.Count, record.MessageCount);
        var stop = record.Messages[2];
        Assert.Equal(("STOP", "OptOut"), (stop.Body, stop.Keyword));
        var optOut = Assert.Single(record.OptOutEvents);
        Assert.Equal(("opt-out", "keyword", "STOP", stop.Id), (optOut.Kind, optOut.Source, optOut.Reason, optOut.MessageId));
        var answer = Assert.Single(record.SurveyAnswers);
        Assert.Equal(("Will you vote early?", "Yes", texter.Id), (answer.Question, answer.Answer, answer.Texter?.Id));
    }

    [Theory, BothDatabases]
    public async Task The_same_number_in_another_organization_never_appears(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, _, _) = await LifeOfANumberAsync(app);
        var other = await app.Seed.OrganizationAsync("Hill Voters");
        var otherCampaign = await CampaignAsync(app, other, "Hill GOTV");
        var otherContact = await ContactAsync(app, other, otherCampaign, Phone);
        var otherMessage = await QueueAsync(app, other, otherContact, "Hill's own text");

        var ours = await (await org.Owner.Client.GetAsync(RecordUrl(org, Phone), Ct)).ReadAsync<GetContactRecord.Response>(HttpStatusCode.OK);
        var theirs = await (await other.Owner.Client.GetAsync(RecordUrl(other, Phone), Ct)).ReadAsync<GetContactRecord.Response>(HttpStatusCode.OK);
        var outsider = await other.Owner.Client.GetAsync(RecordUrl(org, Phone), Ct);

        Assert.DoesNotContain(ours.Messages, m => m.Id == otherMessage || m.Body == "Hill's own text");
        Assert.DoesNotContain(ours.Contacts, c => c.ContactId == otherContact);
        Assert.Equal([otherMessage], theirs.Messages.Select(m => m.Id));
        Assert.Equal([otherContact], theirs.Contacts.Select(c => c.ContactId));
        Assert.False(theirs.OptedOut);
        Assert.Empty(theirs.OptOutEvents);
        Assert.Empty(theirs.SurveyAnswers);
        await outsider.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task A_texter_is_refused_a_bad_number_gets_a_clear_error_and_an_unknown_number_an_empty_record(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);

        var refused = await texter.Client.GetAsync(RecordUrl(org, Phone), Ct);
        var bad = await supervisor.Client.GetAsync(RecordUrl(org, "12345"), Ct);
        var letters = await supervisor.Client.GetAsync(RecordUrl(org, "call-me-maybe"), Ct);
        var unknown = await (await supervisor.Client.GetAsync(RecordUrl(org, "+1 (212) 456-0000"), Ct)).ReadAsync<GetContactRecord.Response>(HttpStatusCode.OK);

        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var problem = await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'12345' is not a phone number", problem.GetProperty("errors").GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        await letters.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("+12124560000", unknown.Phone);
        Assert.False(unknown.OptedOut);
        Assert.Empty(unknown.Contacts);
        Assert.Empty(unknown.Messages);
        Assert.Empty(unknown.OptOutEvents);
    }

    [Theory, BothDatabases]
    public async Task Each_lookup_is_on_the_audit_log_with_who_looked_up_which_number(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);

        await (await supervisor.Client.GetAsync(RecordUrl(org, "212.456.7890"), Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await supervisor.Client.GetAsync(RecordUrl(org, "nonsense"), Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var entries = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters()
            .Where(e => e.OrganizationId == org.Id && e.Action == "record.viewed").Select(e => new { e.ActorUserId, e.Subject }).ToListAsync(Ct));

        var entry = Assert.Single(entries);
        Assert.Equal((supervisor.Id, $"phone:{Phone}"), (entry.ActorUserId, entry.Subject));
    }
}
