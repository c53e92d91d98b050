using System.Net;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Uploads;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Contacts.ImportKit;

namespace Chorus.IntegrationTests.Features.Contacts;

public sealed partial class ContactImportTests
{
    // Expected, by hand: 10 records; imported Ana, Ben, the two-line record and Jo (4); invalid: lines 4, 5, 6, 7 (4);
    // duplicate: line 8 repeats Ana's number (1); opted out: line 9 (1).
    private const string File = """
        First Name,Last Name,Cell Phone,Zip,VAN ID,Polling Place
        Ana,Rivera,(212) 456-7890,10001,1001,PS 41
        Ben,Ng,212.456.7891,10002,1002,"Room 2, Hall B"
        Cy,Oh,,10003,1003,X
        Di,Po,456-0123,,1004,X
        Ed,Qi,+1 212 555 0123,,1005,X
        Fa,Ra,1-800-555-1212,,1006,X
        Gu,Sa,2124567890,10001,1007,Dup
        Ha,Ta,(305) 456-7000,33101,1008,X
        "Multi
        line",Ua,(415) 456-1234,94103,1009,X
        Jo,Va,(646) 456-1111,,1010,X
        """;

    private static async Task<(TestOrg Org, Guid CampaignId)> CampaignWithOptOutAsync(ChorusApp app)
    {
        var org = await app.Seed.OrganizationAsync();
        var campaign = await (await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns", UriKind.Relative), new { title = "GOTV" }, TestContext.Current.CancellationToken))
            .ReadAsync<CampaignView>(HttpStatusCode.Created);
        await (await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/opt-outs", UriKind.Relative), new { phone = "+13054567000", reason = "asked" }, TestContext.Current.CancellationToken))
            .ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (org, campaign.Id);
    }

    /// <summary>The app's own bulk writer for its database, for the test writers to wrap.</summary>
    private static ContactBulkWriter ProviderWriter(IServiceProvider services) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Sqlite
            ? new SqliteContactBulkWriter()
            : new PostgresContactBulkWriter();

    /// <summary>An app whose imports run only when a test calls the worker, in batches this small, through this writer.</summary>
    private static Task<ChorusApp> StartWithWriterAsync(DatabaseProvider provider, Func<IServiceProvider, ContactBulkWriter> writer, int batchSize) =>
        ChorusApp.StartAsync(provider, services =>
        {
            services.Configure<ContactsOptions>(o =>
            {
                o.RunImportWorker = false;
                o.ImportBatchSize = batchSize;
            });
            services.AddSingleton(writer);
        });

    [Theory, BothDatabases]
    public async Task An_upload_reports_exactly_what_happened_to_every_row(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);

        var accepted = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var done = await WaitForAsync(org, accepted.Id);

        Assert.Equal(("completed", 10L, 4L, 4L, 1L, 1L, 1.0), (done.Status, done.RowsRead, done.Imported, done.Invalid, done.Duplicates, done.OptedOut, done.Progress));
        var contacts = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/contacts?pageSize=100", UriKind.Relative), TestContext.Current.CancellationToken))
            .ReadAsync<ListContacts.Response>(HttpStatusCode.OK);
        var ana = contacts.Items.Single(c => c.Phone == "+12124567890");
        Assert.Equal(("Ana", "Rivera", "10001", "1001", "PS 41"), (ana.FirstName, ana.LastName, ana.Zip, ana.ExternalId, ana.CustomFields["pollingPlace"]));
        Assert.Equal(["America/New_York"], ana.TimeZones);
        Assert.Equal("Room 2, Hall B", contacts.Items.Single(c => c.Phone == "+12124567891").CustomFields["pollingPlace"]);
        Assert.Equal("Multi\nline", contacts.Items.Single(c => c.Phone == "+14154561234").FirstName.ReplaceLineEndings("\n"));
        Assert.DoesNotContain(contacts.Items, c => c.Phone == "+13054567000");
        Assert.Contains("pollingPlace", await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().Where(c => c.Id == campaignId).Select(c => c.CustomFields).SingleAsync()));
        Assert.Equal(
            [
                ("4", "No phone number.", "Cy,Oh,,10003,1003,X"),
                ("5", "Too few digits: a US number needs a 3-digit area code and 7 more digits.", "Di,Po,456-0123,,1004,X"),
                ("6", "555-0100 to 555-0199 numbers are reserved for fiction; no one has this number.", "Ed,Qi,+1 212 555 0123,,1005,X"),
                ("7", "Toll-free numbers (800, 888 and the like) belong to businesses and can't be texted.", "Fa,Ra,1-800-555-1212,,1006,X"),
            ],
            await RejectedAsync(org, accepted.Id));
    }

    /// <summary>The rejected-rows download as (line, reason, original row), in order.</summary>
    private static async Task<List<(string Line, string Reason, string Row)>> RejectedAsync(TestOrg org, Guid importId)
    {
        var csv = await org.Owner.Client.GetStringAsync(new Uri($"/api/v1/orgs/{org.Slug}/imports/{importId}/rejected.csv", UriKind.Relative), TestContext.Current.CancellationToken);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,reason,original row", lines[0]);
        return [.. lines.Skip(1).Select(l => RejectedLine().Match(l)).Select(m => (m.Groups[1].Value, m.Groups[2].Value.Replace("\"\"", "\"", StringComparison.Ordinal), m.Groups[3].Value.Replace("\"\"", "\"", StringComparison.Ordinal)))];
    }

    [System.Text.RegularExpressions.GeneratedRegex("^([0-9]+),\"((?:[^\"]|\"\")*)\",\"((?:[^\"]|\"\")*)\"$")]
    private static partial System.Text.RegularExpressions.Regex RejectedLine();

    [Fact]
    public async Task On_postgresql_a_finished_import_leaves_fresh_statistics_on_contacts_so_look_ups_by_number_seek_the_phone_index()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Postgres);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        Assert.Null(await LastAnalyzedAsync(app));

        var accepted = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        Assert.Equal("completed", (await WaitForAsync(org, accepted.Id)).Status);

        // The statistics are refreshed just after the import is answered, and PostgreSQL publishes them shortly after.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await LastAnalyzedAsync(app) is null && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.NotNull(await LastAnalyzedAsync(app));
    }

    private static Task<DateTime?> LastAnalyzedAsync(ChorusApp app) => app.WithDbAsync(db => db.Database
        .SqlQueryRaw<DateTime?>("SELECT last_analyze AS \"Value\" FROM pg_stat_user_tables WHERE relname = 'Contacts'")
        .SingleAsync(TestContext.Current.CancellationToken));

    [Theory, BothDatabases]
    public async Task Rejected_rows_come_back_with_line_reason_and_the_original_values(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var accepted = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        await WaitForAsync(org, accepted.Id);

        var csv = await org.Owner.Client.GetStringAsync(new Uri($"/api/v1/orgs/{org.Slug}/imports/{accepted.Id}/rejected.csv", UriKind.Relative), TestContext.Current.CancellationToken);

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,reason,original row", lines[0]);
        Assert.Equal(["4", "5", "6", "7"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains("Cy,Oh,,10003,1003,X", lines[1], StringComparison.Ordinal);
        Assert.Contains("toll-free", lines[4], StringComparison.OrdinalIgnoreCase);
    }

    [Theory, BothDatabases]
    public async Task Importing_the_same_file_again_adds_only_new_numbers(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var first = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        await WaitForAsync(org, first.Id);

        var second = await (await UploadAsync(org, campaignId, File + "\nNew,Person,(718) 456-2222,,2000,X")).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var done = await WaitForAsync(org, second.Id);

        Assert.Equal((1L, 5L, 4L, 1L), (done.Imported, done.Duplicates, done.Invalid, done.OptedOut));
        Assert.Equal(5, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)));
    }

    [Theory, BothDatabases]
    public async Task A_header_only_file_ends_failed_with_a_reason(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);

        var accepted = await (await UploadAsync(org, campaignId, "First Name,Cell Phone\r\n\r\n")).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var done = await WaitForAsync(org, accepted.Id);

        Assert.Equal(("failed", "The file has a header but no rows.", 0L), (done.Status, done.Error, done.RowsRead));
    }

    [Theory, BothDatabases]
    public async Task A_file_in_which_no_row_has_a_usable_phone_ends_failed_and_its_rejected_rows_stay_downloadable(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);

        var accepted = await (await UploadAsync(org, campaignId, "First Name,Cell Phone\nCy,\nDi,456-0123\n")).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var done = await WaitForAsync(org, accepted.Id);

        Assert.Equal(("failed", "No row had a usable phone number: download the rejected rows to see why.", 2L, 0L, 2L),
            (done.Status, done.Error, done.RowsRead, done.Imported, done.Invalid));
        Assert.Equal([("2", "No phone number.", "Cy,"), ("3", "Too few digits: a US number needs a 3-digit area code and 7 more digits.", "Di,456-0123")],
            await RejectedAsync(org, accepted.Id));
        Assert.Equal(0, await app.Seed.CountAsync(db => db.ImportChunks.Where(c => c.ImportId == accepted.Id)));
    }

    [Theory, BothDatabases]
    public async Task A_file_whose_every_row_is_already_in_the_campaign_or_opted_out_still_completes(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var first = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        await WaitForAsync(org, first.Id);

        var duplicate = await (await UploadAsync(org, campaignId, "Cell Phone\n(212) 456-7890\n")).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var duplicateDone = await WaitForAsync(org, duplicate.Id);
        var optedOut = await (await UploadAsync(org, campaignId, "Cell Phone\n(305) 456-7000\n")).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var optedOutDone = await WaitForAsync(org, optedOut.Id);

        Assert.Equal(("completed", null, 0L, 1L, 0L), (duplicateDone.Status, duplicateDone.Error, duplicateDone.Imported, duplicateDone.Duplicates, duplicateDone.OptedOut));
        Assert.Equal(("completed", null, 0L, 0L, 1L), (optedOutDone.Status, optedOutDone.Error, optedOutDone.Imported, optedOutDone.Duplicates, optedOutDone.OptedOut));
    }

    [Theory, BothDatabases]
    public async Task A_quote_that_never_closes_ends_the_import_failed_naming_its_line_and_keeps_the_rows_before_it(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        const string csv = "First Name,Cell Phone\nAna,(212) 456-7890\nBen,212.456.7891\n\"Cy,(646) 456-1111\nDi,(718) 456-2222\n";

        var accepted = await (await UploadAsync(org, campaignId, csv)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var done = await WaitForAsync(org, accepted.Id);

        Assert.Equal(("failed", 2L, 2L), (done.Status, done.RowsRead, done.Imported));
        Assert.StartsWith("The row starting on line 4 ", done.Error, StringComparison.Ordinal);
        Assert.Equal(2, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)));
    }

    [Theory, BothDatabases]
    public async Task A_write_that_fails_with_an_error_ends_the_import_failed_with_the_error_and_the_rows_done(DatabaseProvider provider)
    {
        var crashing = new CrashingWriter { Crash = () => new InvalidOperationException("The disk is full.") };
        await using var app = await StartWithWriterAsync(provider, crashing.Wrap, batchSize: 3);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var accepted = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);

        crashing.FailOnCall = 2; // the second write: rows 7–9
        var ran = await ContactImportWorker.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), TestContext.Current.CancellationToken);
        var done = await WaitForAsync(org, accepted.Id);

        Assert.True(ran);
        Assert.Equal(("failed", "The import stopped unexpectedly after 6 rows: The disk is full.", 6L), (done.Status, done.Error, done.RowsRead));
    }

    [Theory, BothDatabases]
    public async Task A_file_over_the_configured_size_limit_is_refused_with_a_problem_and_nothing_is_stored(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider, services => services.Configure<ContactsOptions>(o => o.MaxUploadBytes = 2048));
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var csv = "Cell Phone,Note\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"(212) 456-{1000 + i},{new string('x', 20)}\n"));
        Assert.True(Encoding.UTF8.GetByteCount(csv) > 2048); // the premise

        var response = await UploadAsync(org, campaignId, csv);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        var file = Assert.Single(problem.GetProperty("problems").EnumerateArray());
        Assert.Equal("file", file.GetProperty("field").GetString());
        Assert.Contains("split it into smaller files", file.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.ContactImports.IgnoreQueryFilters()));
        Assert.Equal(0, await app.Seed.CountAsync(db => db.ImportChunks));
    }

    [Theory, BothDatabases]
    public async Task The_worker_reads_a_stored_file_only_up_to_the_configured_size_limit(DatabaseProvider provider)
    {
        // A file stored while the limit was higher, then the limit lowered: the worker holds to the configured limit,
        // not to its reader's default of 1 GiB (which a limit set above it would otherwise cut short too).
        await using var app = await ChorusApp.StartAsync(provider, services => services.Configure<ContactsOptions>(o =>
        {
            o.RunImportWorker = false;
            o.MaxUploadBytes = 2048;
        }));
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var csv = Encoding.UTF8.GetBytes("Cell Phone\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"(212) 456-{1000 + i}\n")));
        var importId = await app.WithDbAsync(async db =>
        {
            var import = new ContactImport { OrganizationId = org.Id, CampaignId = campaignId, FileName = "big.csv", FileBytes = csv.Length, CreatedByUserId = org.Owner.Id, CreatedUtc = app.Clock.GetUtcNow().UtcDateTime };
            db.ContactImports.Add(import);
            db.ImportChunks.Add(new ImportChunk { ImportId = import.Id, Index = 0, Data = csv });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            return import.Id;
        });

        await ContactImportWorker.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), TestContext.Current.CancellationToken);
        var done = await WaitForAsync(org, importId);

        Assert.Equal("failed", done.Status);
        Assert.StartsWith("The file is larger than the 2,048-byte limit.", done.Error, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task A_file_stored_as_more_chunks_than_one_read_fetches_comes_back_whole_rows_split_across_chunks_included(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        // 600 rows of four ~1 KB custom values (a value keeps at most 1,000 characters): about 38 chunks, so two reads,
        // and most rows straddle a chunk's end.
        var notes = Enumerable.Range(0, 600).ToDictionary(
            i => $"+1212456{1000 + i}",
            i => string.Join(",", "abcd".Select(k => $"{i:D4}{k}" + new string((char)('a' + (i % 26)), 990))));
        var csv = "Cell Phone,a,b,c,d\n" + string.Join("\n", notes.Select(n => $"{n.Key},{n.Value}"));
        Assert.True(Encoding.UTF8.GetByteCount(csv) > ImportChunk.Size * ImportChunk.PerRoundTrip); // the premise

        var accepted = await (await UploadAsync(org, campaignId, csv)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var done = await WaitForAsync(org, accepted.Id);
        var stored = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)
            .Select(c => new { c.PhoneE164, c.CustomFields }).ToListAsync());

        Assert.Equal(("completed", 600L, 600L, 0L), (done.Status, done.RowsRead, done.Imported, done.Invalid));
        Assert.Equal(notes, stored.ToDictionary(
            c => c.PhoneE164,
            c => string.Join(",", System.Text.Json.JsonDocument.Parse(c.CustomFields).RootElement.EnumerateObject().Select(p => p.Value.GetString()))));
    }

    [Theory, BothDatabases]
    public async Task A_campaigns_imports_are_listed_newest_first_and_another_organization_gets_404(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var other = await app.Seed.OrganizationAsync();
        var first = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        await WaitForAsync(org, first.Id);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        await WaitForAsync(org, second.Id);

        var listed = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/imports", UriKind.Relative), TestContext.Current.CancellationToken))
            .ReadAsync<List<GetContactImport.Response>>(HttpStatusCode.OK);
        var throughOther = await other.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{other.Slug}/campaigns/{campaignId}/imports", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal([second.Id, first.Id], listed.Select(i => i.Id));
        Assert.Equal(("completed", 4L, 1L), (listed[1].Status, listed[1].Imported, listed[1].Duplicates));
        Assert.Equal(("completed", 0L, 5L), (listed[0].Status, listed[0].Imported, listed[0].Duplicates));
        await throughOther.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task Two_imports_into_one_campaign_at_once_never_duplicate_a_contact(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);

        var uploads = await Task.WhenAll(UploadAsync(org, campaignId, File), UploadAsync(org, campaignId, File));
        var results = new List<GetContactImport.Response>();
        foreach (var upload in uploads)
        {
            results.Add(await WaitForAsync(org, (await upload.ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted)).Id));
        }

        Assert.Equal(4L, results.Sum(r => r.Imported));
        Assert.Equal(4, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)));
    }

    [Theory, BothDatabases]
    public async Task A_written_batch_that_meets_a_number_the_campaign_already_has_keeps_the_stored_contact_and_inserts_the_rest(DatabaseProvider provider)
    {
        // The importer drops the numbers it knows the campaign has, but another import or a texter can add one after it
        // looked; on PostgreSQL the batch's direct COPY then fails and must fall back to the conflict-tolerant insert.
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        Contact New(string phone, string name) => new() { OrganizationId = org.Id, CampaignId = campaignId, PhoneE164 = phone, FirstName = name, TimeZones = "America/New_York", TimeZoneSource = "Phone" };
        await app.WithDbAsync(async db =>
        {
            db.Contacts.Add(New("+12124567890", "Stored"));
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        var inserted = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            var count = await services.GetRequiredService<ContactBulkWriter>().InsertAsync(db,
                [New("+12124567891", "First"), New("+12124567890", "Later"), New("+12124567891", "Repeat"), New("+14154561234", "Other")],
                TestContext.Current.CancellationToken);
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
            return count;
        });

        var names = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)
            .OrderBy(c => c.PhoneE164).Select(c => c.FirstName).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, inserted);
        Assert.Equal(["Stored", "First", "Other"], names);
    }

    [Theory, BothDatabases]
    public async Task An_import_whose_worker_died_mid_file_is_resumed_and_counts_every_row_once(DatabaseProvider provider)
    {
        var crashing = new CrashingWriter();
        await using var app = await StartWithWriterAsync(provider, crashing.Wrap, batchSize: 3);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var accepted = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();

        crashing.FailOnCall = 2; // the second write: rows 7–9
        await Assert.ThrowsAsync<OperationCanceledException>(() => ContactImportWorker.RunOnceAsync(scopes, TestContext.Current.CancellationToken));
        var midway = await WaitForStatusAsync(app, accepted.Id);
        crashing.FailOnCall = 0;
        var tooEarly = await ContactImportWorker.RunOnceAsync(scopes, TestContext.Current.CancellationToken);
        app.Clock.Advance(ContactImportWorker.StaleAfter + TimeSpan.FromSeconds(1));
        var resumed = await ContactImportWorker.RunOnceAsync(scopes, TestContext.Current.CancellationToken);
        var done = await WaitForAsync(org, accepted.Id);

        // Batches of 3: the first wrote contacts, the second held only bad rows (no write), the third died writing.
        Assert.Equal((ImportStatus.Running, 6L), midway);
        Assert.False(tooEarly);
        Assert.True(resumed);
        Assert.Equal(("completed", 10L, 4L, 4L, 1L, 1L), (done.Status, done.RowsRead, done.Imported, done.Invalid, done.Duplicates, done.OptedOut));
        Assert.Equal(4, await app.Seed.CountAsync(db => db.ImportRejections.Where(r => r.ImportId == accepted.Id)));
    }

    [Theory, BothDatabases]
    public async Task A_batch_never_commits_before_the_one_before_it_so_a_slow_write_that_dies_loses_no_rows(DatabaseProvider provider)
    {
        // On PostgreSQL batches are written side by side. Rows 1–3 (Ana, Ben) are written slowly and die; rows 4–6 hold
        // no contact, so their batch is ready at once. Had it committed first, the import's position would say rows 1–6
        // were done and the resumed import would skip Ana and Ben.
        var crashing = new CrashingWriter { FailOnCall = 1, FailAfter = TimeSpan.FromMilliseconds(500) };
        await using var app = await StartWithWriterAsync(provider, crashing.Wrap, batchSize: 3);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var accepted = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();

        await Assert.ThrowsAsync<OperationCanceledException>(() => ContactImportWorker.RunOnceAsync(scopes, TestContext.Current.CancellationToken));
        var midway = await WaitForStatusAsync(app, accepted.Id);
        crashing.FailOnCall = 0;
        app.Clock.Advance(ContactImportWorker.StaleAfter + TimeSpan.FromSeconds(1));
        Assert.True(await ContactImportWorker.RunOnceAsync(scopes, TestContext.Current.CancellationToken));
        var done = await WaitForAsync(org, accepted.Id);

        Assert.Equal((ImportStatus.Running, 0L), midway);
        Assert.Equal(("completed", 10L, 4L, 4L, 1L, 1L), (done.Status, done.RowsRead, done.Imported, done.Invalid, done.Duplicates, done.OptedOut));
        Assert.Equal(4, await app.Seed.CountAsync(db => db.ImportRejections.Where(r => r.ImportId == accepted.Id)));
    }

    [Theory, BothDatabases]
    public async Task A_batch_whose_import_another_worker_has_taken_over_is_not_committed(DatabaseProvider provider)
    {
        var takeover = new TakeoverWriter();
        await using var app = await StartWithWriterAsync(provider, takeover.Wrap, batchSize: 3);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        await (await UploadAsync(org, campaignId, File)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => ContactImportWorker.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), TestContext.Current.CancellationToken));

        Assert.Equal(0, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)));
    }

    /// <summary>Writes the first batch, then claims its import for another worker in the same transaction.</summary>
    private sealed class TakeoverWriter : ContactBulkWriter
    {
        private ContactBulkWriter? _inner;

        public override int RowsPerWrite => _inner!.RowsPerWrite;

        public override bool WantsOnlyNewNumbers => _inner!.WantsOnlyNewNumbers;

        public TakeoverWriter Wrap(IServiceProvider services)
        {
            _inner = ProviderWriter(services);
            return this;
        }

        public override async Task<int> InsertAsync(AppDbContext db, IReadOnlyList<Contact> contacts, CancellationToken ct)
        {
            var inserted = await _inner!.InsertAsync(db, contacts, ct);
            await db.ContactImports.IgnoreQueryFilters().ExecuteUpdateAsync(u => u.SetProperty(i => i.ClaimToken, Guid.NewGuid()), ct);
            return inserted;
        }

        public override Task InsertRejectionsAsync(AppDbContext db, IReadOnlyList<ImportRejection> rejections, CancellationToken ct) =>
            _inner!.InsertRejectionsAsync(db, rejections, ct);
    }

    [Theory, BothDatabases]
    public async Task A_crash_after_part_of_a_batch_was_written_leaves_none_of_that_batch_and_the_resumed_import_counts_every_row_once(DatabaseProvider provider)
    {
        var crashing = new CrashingWriter { RowsPerWriteOverride = 1 };
        await using var app = await StartWithWriterAsync(provider, crashing.Wrap, batchSize: 4);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var accepted = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();

        // Batches of 4 rows, one contact per write: Ana, Ben (rows 1–4); Gu (rows 5–8), who repeats Ana's number and is
        // refused by the database on SQLite but dropped before any write on PostgreSQL; then the multi-line row is
        // written and Jo's write dies: the multi-line row, written in that batch's transaction, must not survive.
        crashing.FailOnCall = provider == DatabaseProvider.Sqlite ? 5 : 4;
        await Assert.ThrowsAsync<OperationCanceledException>(() => ContactImportWorker.RunOnceAsync(scopes, TestContext.Current.CancellationToken));
        var midway = await WaitForStatusAsync(app, accepted.Id);
        var contactsMidway = await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId));
        crashing.FailOnCall = 0;
        app.Clock.Advance(ContactImportWorker.StaleAfter + TimeSpan.FromSeconds(1));
        Assert.True(await ContactImportWorker.RunOnceAsync(scopes, TestContext.Current.CancellationToken));
        var done = await WaitForAsync(org, accepted.Id);

        Assert.Equal((ImportStatus.Running, 8L, 2), (midway.Item1, midway.Item2, contactsMidway));
        Assert.Equal(("completed", 10L, 4L, 4L, 1L, 1L), (done.Status, done.RowsRead, done.Imported, done.Invalid, done.Duplicates, done.OptedOut));
        Assert.Equal(4, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)));
    }

    [Fact]
    public async Task On_sqlite_a_save_made_while_an_import_writes_goes_through_before_the_imports_next_rows()
    {
        var hook = new SaveDuringImportWriter();
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite, services =>
        {
            services.Configure<ContactsOptions>(o =>
            {
                o.RunImportWorker = false;
                o.ImportBatchSize = 1_000; // the whole file would be one batch, holding SQLite's write lock throughout
                o.ImportYieldAfterRows = 1;
            });
            services.AddSingleton<ContactBulkWriter>(hook);
        });
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        hook.DataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        hook.Save = () => app.WithDbAsync(db =>
        {
            db.JoinLinks.Add(new JoinLink { OrganizationId = org.Id, Code = "saved-mid-import", CreatedByUserId = org.Owner.Id, CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            return db.SaveChangesAsync(CancellationToken.None);
        });
        var accepted = await (await UploadAsync(org, campaignId, File)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);

        await ContactImportWorker.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), TestContext.Current.CancellationToken);
        var done = await WaitForAsync(org, accepted.Id);

        // The save started while the first contact was being written; the second was written only after it was saved.
        Assert.True(hook.SavedBeforeSecondRow);
        Assert.Equal(("completed", 10L, 4L, 4L, 1L, 1L), (done.Status, done.RowsRead, done.Imported, done.Invalid, done.Duplicates, done.OptedOut));
        Assert.Equal(1, await app.Seed.CountAsync(db => db.JoinLinks.IgnoreQueryFilters().Where(l => l.Code == "saved-mid-import")));
    }

    /// <summary>SQLite's writer, one contact per write; during the first write another scope saves, and the second write notes whether that save got through.</summary>
    private sealed class SaveDuringImportWriter : ContactBulkWriter
    {
        private readonly SqliteContactBulkWriter _inner = new();
        private Task? _saving;
        private int _calls;

        public string DataSource { get; set; } = "";

        public Func<Task<int>> Save { get; set; } = () => Task.FromResult(0);

        public bool SavedBeforeSecondRow { get; private set; }

        public override int RowsPerWrite => 1;

        public override Task<IAsyncDisposable> BeginImportAsync(AppDbContext db, CancellationToken ct) => _inner.BeginImportAsync(db, ct);

        public override async Task<int> InsertAsync(AppDbContext db, IReadOnlyList<Contact> contacts, CancellationToken ct)
        {
            switch (++_calls)
            {
                case 1:
                    _saving = Task.Run(Save, CancellationToken.None);
                    // Until the save is queued for the write turn (or, where nothing queues it, has had time to finish).
                    for (var waited = 0; waited < 100 && !SqliteWriteGate.HasWaiters(DataSource) && !_saving.IsCompleted; waited++)
                    {
                        await Task.Delay(50, CancellationToken.None);
                    }

                    break;
                case 2:
                    SavedBeforeSecondRow = await Task.WhenAny(_saving!, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)) == _saving;
                    break;
            }

            return await _inner.InsertAsync(db, contacts, ct);
        }

        public override Task InsertRejectionsAsync(AppDbContext db, IReadOnlyList<ImportRejection> rejections, CancellationToken ct) =>
            _inner.InsertRejectionsAsync(db, rejections, ct);
    }

    private static Task<(ImportStatus, long)> WaitForStatusAsync(ChorusApp app, Guid importId) =>
        app.WithDbAsync(db => db.ContactImports.IgnoreQueryFilters().Where(i => i.Id == importId).Select(i => new ValueTuple<ImportStatus, long>(i.Status, i.RowsRead)).SingleAsync());

    [Theory]
    [InlineData("\u0000\u0001\u0002binary junk\u0000", null)]
    [InlineData("First,Last,Zip\nAna,Rivera,10001", null)]
    [InlineData("First,Last,Cell\nAna,Rivera,2124567890", "{\"Mobile\": \"phone\"}")]
    [InlineData("", null)]
    public async Task A_file_that_cannot_be_imported_is_refused_at_once_and_nothing_is_stored(string csv, string? mapping)
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);

        var response = await UploadAsync(org, campaignId, csv, mapping);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.ContactImports.IgnoreQueryFilters()));
        Assert.Equal(0, await app.Seed.CountAsync(db => db.ImportChunks));
    }

    [Theory, BothDatabases]
    public async Task Texters_cannot_upload_and_other_organizations_campaigns_are_not_found(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithOptOutAsync(app);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var other = await app.Seed.OrganizationAsync();

        var asTexter = await UploadAsync(org, campaignId, File, client: texter.Client);
        var throughOther = await UploadAsync(other, campaignId, File);

        await asTexter.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await throughOther.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>Simulates a crash between batches: the chosen call to the writer dies as a stopped host would.</summary>
    private sealed class CrashingWriter : ContactBulkWriter
    {
        private int _calls;

        public ContactBulkWriter? Inner { get; set; }

        public int FailOnCall { get; set; }

        public int? RowsPerWriteOverride { get; init; }

        public override int RowsPerWrite => RowsPerWriteOverride ?? Inner!.RowsPerWrite;

        public override bool WantsOnlyNewNumbers => Inner!.WantsOnlyNewNumbers;

        public CrashingWriter Wrap(IServiceProvider services)
        {
            Inner = ProviderWriter(services);
            return this;
        }

        /// <summary>How long the failing call takes before it dies (a slow write that ends in a crash).</summary>
        public TimeSpan FailAfter { get; init; }

        /// <summary>What the failing call throws: by default what a stopped host's cancellation would.</summary>
        public Func<Exception> Crash { get; init; } = () => new OperationCanceledException("simulated crash");

        public override async Task<int> InsertAsync(AppDbContext db, IReadOnlyList<Contact> contacts, CancellationToken ct)
        {
            if (Interlocked.Increment(ref _calls) == FailOnCall)
            {
                await Task.Delay(FailAfter, CancellationToken.None);
                throw Crash();
            }

            return await Inner!.InsertAsync(db, contacts, ct);
        }

        public override Task InsertRejectionsAsync(AppDbContext db, IReadOnlyList<ImportRejection> rejections, CancellationToken ct) =>
            Inner!.InsertRejectionsAsync(db, rejections, ct);
    }
}
