using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.Bench;

/// <summary>
/// `bench export [--contacts N]` (SQLite): seeds a campaign of N contacts, each with one sent message, by set-based SQL
/// (seconds for a million), then asks the running server over HTTP for the contacts export and the campaign's messages
/// export, polls each to completion and prints seconds, rows/s, and the server's peak memory while exporting. The server
/// runs as its own process (<see cref="ServerProcess"/>), so the figure is the server's peak resident set (VmHWM, reset
/// before each export) and holds nothing of the seeding or the client. Target: 1,000,000 contacts in ≤ 15 s and ≤ 300 MB.
/// </summary>
internal static class ExportBench
{
    public static async Task RunAsync(string[] args, TextWriter output)
    {
        var count = int.Parse(args.SkipWhile(a => a != "--contacts").Skip(1).FirstOrDefault() ?? "1000000", CultureInfo.InvariantCulture);
        var folder = BenchProgram.TempFolder();
        var connectionString = $"Data Source={Path.Combine(folder, "bench.db")}";
        await BenchProgram.MigrateAsync(DatabaseProvider.Sqlite, connectionString);

        var exports = new Dictionary<string, string> { ["Chorus:Exports:Directory"] = Path.Combine(folder, "exports") };
        BenchOrganization org;
        Guid campaignId;
        var seeding = Stopwatch.StartNew();
        await using (var app = new BenchApp(DatabaseProvider.Sqlite, connectionString, exports, workers: false))
        {
            org = await BenchOrganization.CreateAsync(app.Services);
            campaignId = await SeedAsync(app.Services, org, connectionString, count);
        }

        output.WriteLine($"Chorus export bench · SQLite · {count:N0} contacts and {count:N0} messages (seeded in {seeding.Elapsed.TotalSeconds:F1} s) · {Environment.ProcessorCount} cores · .NET {Environment.Version}");
        await using var server = await ServerProcess.StartAsync(DatabaseProvider.Sqlite, connectionString, exports);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", org.Token);
        output.WriteLine($"server: its own process (pid {server.ProcessId}), resident {server.ResidentBytes / (1024 * 1024):N0} MB after start (peak {server.PeakResidentBytes / (1024 * 1024):N0} MB)");
        foreach (var kind in new[] { "contacts", "messages" })
        {
            var baseline = server.ResidentBytes;
            server.ResetPeak();
            var watch = Stopwatch.StartNew();
            using var started = await http.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/exports", UriKind.Relative), new { kind, campaignId });
            started.EnsureSuccessStatusCode();
            var id = (await started.Content.ReadFromJsonAsync<IdOnly>())!.Id;
            ExportStatus status;
            while (true)
            {
                status = (await http.GetFromJsonAsync<ExportStatus>(new Uri($"/api/v1/orgs/{org.Slug}/exports/{id}", UriKind.Relative)))!;
                if (status.Status is "completed" or "failed")
                {
                    break;
                }

                await Task.Delay(100);
            }

            watch.Stop();
            var peak = server.PeakResidentBytes;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind}: {status.Status}, {status.Rows:N0} rows, {status.FileBytes / (1024.0 * 1024):F0} MB in {watch.Elapsed.TotalSeconds:F2} s → {status.Rows / watch.Elapsed.TotalSeconds:N0} rows/s; server peak resident set {peak / (1024 * 1024):N0} MB (+{(peak - baseline) / (1024 * 1024):N0} MB over {baseline / (1024 * 1024):N0} MB before the export)"));
        }
    }

    private sealed record IdOnly(Guid Id);

    private sealed record ExportStatus(string Status, long Rows, long FileBytes);

    /// <summary>Contacts and one delivered first message each, by INSERT … SELECT over a counter: no objects per row.</summary>
    private static async Task<Guid> SeedAsync(IServiceProvider services, BenchOrganization org, string connectionString, int count)
    {
        var campaign = new Campaign { OrganizationId = org.Id, Title = "Export bench", CustomFields = ["precinct", "note"] };
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$org", org.Id.ToString("D").ToUpperInvariant());
        command.Parameters.AddWithValue("$campaign", campaign.Id.ToString("D").ToUpperInvariant());
        command.Parameters.AddWithValue("$texter", org.OwnerId.ToString("D").ToUpperInvariant());
        command.Parameters.AddWithValue("$count", count);
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $count - 1)
            INSERT INTO "Contacts" ("Id", "OrganizationId", "CampaignId", "PhoneE164", "FirstName", "LastName", "Zip", "ExternalId", "CustomFields",
                "TimeZones", "TimeZoneSource", "State", "CreatedUtc", "ConversationStatus", "TexterUserId", "Tags")
            SELECT printf('01000000-0000-7000-8000-%012X', i), $org, $campaign, printf('+1212%07d', 2000000 + i), 'Voter' || i, CASE WHEN i % 10 = 0 THEN '=1+1' ELSE 'Last' END,
                '10001', '' || (100000 + i), '{"precinct":"P-' || (i % 50) || '","note":"Room 2, Hall B"}', 'America/New_York', 'Explicit', 'NY',
                '2026-11-03 15:00:00', 1, $texter, '["volunteer"]'
            FROM n;
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $count - 1)
            INSERT INTO "Messages" ("Id", "OrganizationId", "CampaignId", "ContactId", "Direction", "Kind", "Phone", "Body", "Segments", "Encoding", "Provider",
                "Status", "TexterUserId", "RespectsTextingWindow", "NeedsOptOutReview", "Attempts", "NotBeforeUtc", "CreatedUtc", "UpdatedUtc")
            SELECT printf('02000000-0000-7000-8000-%012X', i), $org, $campaign, printf('01000000-0000-7000-8000-%012X', i), 0, 0, printf('+1212%07d', 2000000 + i),
                'Hi Voter' || i || ', it''s Sam with the campaign. Polls open 7am-8pm, "bring ID". Reply STOP to opt out', 1, 0, 'simulator',
                5, $texter, 1, 0, 1, '2026-11-03 15:00:00', '2026-11-03 15:00:00', '2026-11-03 15:00:00'
            FROM n;
            """;
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return campaign.Id;
    }
}
