using System.Data.Common;
using Chorus.Features.Accounts;
using Chorus.Features.Audit;
using Chorus.Features.Integrations;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Inbound;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Chorus.IntegrationTests.Platform;

/// <summary>
/// SQLite plans without statistics, so a look-up by phone that also names the organization can be answered by reading
/// every contact of the organization through an organization-first index. These pin the plans of the look-ups by
/// number on the hot paths to the phone index, the look-up of a batch of Sends to the primary key (seek each one,
/// whatever the organization's size), and the send screen's next contact to the assignment index that ends with the id
/// (PostgreSQL, with statistics, walked the primary key instead until that index existed: BENCHMARKS.md). And every
/// API request's token look-up, which also reads the caller's membership, to one seek per table.
/// </summary>
public sealed class QueryPlanTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 15, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Phones = ["+12025550143", "+12025550144", "+12025550145", "+12025550146"];

    [Fact]
    public async Task A_reply_batch_finds_its_conversations_by_seeking_each_phone_not_by_reading_the_organizations_contacts()
    {
        var plans = await PlansOfAsync(db => InboundProcessor.TextedAsync(db, Guid.NewGuid(), Phones).AsTask());

        AssertSeeksThePhoneIndex(plans);
    }

    [Fact]
    public async Task An_opt_out_finds_the_numbers_contacts_by_seeking_the_phone()
    {
        var plans = await PlansOfAsync(db => Suppression.OptOutAsync(
            db, Guid.NewGuid(), Phones[0], "keyword", null, new AuditActor(null, "voter"), Now, TestContext.Current.CancellationToken));

        AssertSeeksThePhoneIndex(plans);
    }

    [Fact]
    public async Task The_integration_feed_finds_the_contacts_its_events_name_by_phone_through_the_phone_index()
    {
        var organizationId = Guid.NewGuid();
        var entries = Phones.Select(p => new AuditEvent
        {
            OrganizationId = organizationId,
            Actor = "voter",
            Action = "opt_out.added",
            Subject = $"phone:{p}",
            Data = "{}",
            OccurredUtc = Now,
        }).ToList();

        var plans = await PlansOfAsync(db => EventReader.ReadAsync(db, organizationId, entries, TestContext.Current.CancellationToken));

        AssertSeeksThePhoneIndex(plans);
    }

    [Fact]
    public async Task A_batch_of_sends_finds_its_contacts_by_seeking_each_id_not_by_reading_the_organizations_contacts()
    {
        // More ids than the ten rows SQLite guesses an equality on an index's first column finds.
        Guid[] ids = [.. Enumerable.Range(0, 64).Select(_ => Guid.NewGuid())];

        var plans = await PlansOfAsync(async db => await InitialSends.ContactsAsync(db, Guid.NewGuid(), ids).ToListAsync());

        Assert.NotEmpty(plans);
        Assert.All(plans, plan => Assert.Contains("USING INDEX sqlite_autoindex_Contacts_1 (Id=?)", plan, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_next_contact_to_text_is_one_seek_of_the_assignment_index_in_id_order_with_no_sort(bool afterAnother)
    {
        var plans = await PlansOfAsync(db => SendInitialMessage.NextUnsent.For(db)(db, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), afterAnother ? Guid.NewGuid() : null, TestContext.Current.CancellationToken));

        Assert.NotEmpty(plans);
        Assert.All(plans, plan =>
        {
            Assert.Contains("USING INDEX IX_Contacts_AssignmentId_ConversationStatus_Id (AssignmentId=? AND ConversationStatus=?", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_next_contacts_opt_out_check_seeks_the_organizations_number_and_its_progress_counts_read_one_index_alone()
    {
        var plans = await PlansOfAsync(db => SendInitialMessage.NextUnsent.For(db)(db, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, TestContext.Current.CancellationToken));

        var plan = Assert.Single(plans);
        Assert.Contains("SEARCH o USING COVERING INDEX IX_OptOuts_OrganizationId_PhoneE164 (OrganizationId=? AND PhoneE164=?)", plan, StringComparison.Ordinal);
        Assert.Equal(2, plan.Split("USING COVERING INDEX IX_Contacts_CampaignId_AssignmentId_ConversationStatus (CampaignId=? AND AssignmentId=?").Length - 1);
    }

    [Fact]
    public async Task An_API_tokens_look_up_finds_the_organization_and_the_callers_membership_by_seeking_each()
    {
        var plans = await PlansOfAsync(
            db => ApiTokenAuthenticationHandler.FindAsync(db, ApiToken.Hash("chorus_x"), "harbor-votes", TestContext.Current.CancellationToken),
            "FROM \"ApiTokens\"");

        var plan = Assert.Single(plans);
        Assert.Contains("SEARCH o USING INDEX IX_Organizations_Slug (Slug=?)", plan, StringComparison.Ordinal);
        Assert.Contains("SEARCH m USING INDEX IX_Memberships_OrganizationId_UserId (OrganizationId=? AND UserId=?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("MATERIALIZE", plan, StringComparison.Ordinal);
    }

    private static void AssertSeeksThePhoneIndex(IReadOnlyList<string> plans)
    {
        Assert.NotEmpty(plans);
        Assert.All(plans, plan => Assert.Contains("USING INDEX IX_Contacts_PhoneE164_CampaignId (PhoneE164=?)", plan, StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs <paramref name="query"/> on a migrated SQLite database and returns the plan of each statement it sent that
    /// contains <paramref name="reads"/> (by default, those that read contacts).
    /// </summary>
    private static async Task<IReadOnlyList<string>> PlansOfAsync(Func<AppDbContext, Task> query, string reads = "FROM \"Contacts\"")
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        var recorder = new Reads(reads);
        await using (var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite(app.ConnectionString).AddInterceptors(recorder).Options))
        {
            await query(db);
        }

        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var plans = new List<string>();
        foreach (var (sql, parameters) in recorder.Statements)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            await using var reader = await explain.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var lines = new List<string>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                lines.Add(reader.GetString(3));
            }

            plans.Add(string.Join(" | ", lines));
        }

        return plans;
    }

    private sealed class Reads(string marker) : DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object? Value)> Parameters)> Statements { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains(marker, StringComparison.Ordinal))
            {
                Statements.Add((command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
            }

            return ValueTask.FromResult(result);
        }
    }
}
