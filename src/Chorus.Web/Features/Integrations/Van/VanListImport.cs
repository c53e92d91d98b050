using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Uploads;
using Chorus.Features.Contacts.Uploads.Parsing;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Integrations.Van;

public sealed class VanOptions
{
    public const string Section = "Chorus:Van";

    /// <summary>How long to wait between looks at a VAN export job that is not ready yet.</summary>
    public TimeSpan ExportPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a saved-list export may take before the import run gives up.</summary>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>
/// Imports a VAN saved list into a campaign (run kind <c>van.list-import</c>): asks VAN for an export job of the
/// list, waits until VAN says where the file is, and streams that CSV — never held in memory, no row cap — into the
/// same stored-upload path as a CSV an admin uploads (<see cref="StartContactImport"/>), with VANID mapped to the
/// contact's external id. The contact importer then does the rest (phones, opt-outs, duplicates, time zones); the
/// run's <see cref="SyncRun.ResultId"/> is that import. A refused key marks the integration unauthorized; a failure
/// before the file is stored leaves nothing behind (the upload is one transaction).
/// </summary>
public sealed class VanListImport(IHttpClientFactory clients, IOptions<VanOptions> options) : IIntegrationRunner
{
    public const string Kind = "van.list-import";
    public const string DownloadClientName = "van-download";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Parameters(int SavedListId, Guid CampaignId);

    public string RunKind => Kind;

    public async Task RunAsync(IntegrationContext integration, SyncRun run, IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var parameters = JsonSerializer.Deserialize<Parameters>(run.Parameters, Json)
            ?? throw new InvalidOperationException("The run has no saved list.");
        if (VanApi.For(clients, integration) is not { } api)
        {
            throw new InvalidOperationException("The integration has no VAN application name or API key.");
        }

        var job = await api.PostAsync("exportJobs", new JsonObject { ["savedListId"] = parameters.SavedListId, ["type"] = api.Settings.ExportJobTypeId }, ct);
        await FailOnAsync(job, $"VAN did not start an export of saved list {parameters.SavedListId}", integration, db, clock, ct);
        var json = VanApi.Parse(job) as JsonObject;
        var jobId = json?["exportJobId"]?.ToString();
        var downloadUrl = DownloadUrl(json);
        var waited = TimeSpan.Zero;
        while (downloadUrl is null)
        {
            if (string.IsNullOrEmpty(jobId))
            {
                throw new InvalidOperationException($"VAN's answer to the export of saved list {parameters.SavedListId} has no exportJobId: {job.Summary}");
            }

            if (waited >= options.Value.ExportTimeout)
            {
                throw new InvalidOperationException($"VAN's export job {jobId} was not ready after {options.Value.ExportTimeout}; try again later.");
            }

            // Polling on the real clock: the export is VAN's work, and the run shows it is alive meanwhile.
            await Task.Delay(options.Value.ExportPollInterval, ct);
            waited += options.Value.ExportPollInterval;
            run.HeartbeatUtc = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            var status = await api.GetAsync($"exportJobs/{Uri.EscapeDataString(jobId)}", ct);
            if (status.Status is 0 or 429 or >= 500)
            {
                continue; // VAN busy for a moment: look again
            }

            await FailOnAsync(status, $"VAN's export job {jobId} could not be read", integration, db, clock, ct);
            var state = VanApi.Parse(status) as JsonObject;
            if (state?["status"]?.ToString() is { } s && s.Equals("Failed", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"VAN's export job {jobId} failed: {state["errorCode"]?.ToString() ?? status.Summary}");
            }

            downloadUrl = DownloadUrl(state);
        }

        // The file itself is on VAN's storage (a signed link): fetched without VAN's credentials, streamed as it comes.
        using var download = await clients.CreateClient(DownloadClientName).GetAsync(downloadUrl, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!download.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"VAN's export file could not be downloaded ({(int)download.StatusCode} {download.ReasonPhrase}); run the import again.");
        }

        await using var body = await download.Content.ReadAsStreamAsync(ct);
        // Storing a large file takes a while: the run's heartbeat moves with it (saved with each stored chunk, in the
        // upload's transaction), so no other instance takes the run over and imports the list twice.
        await using var counted = new HeartbeatStream(body, () => run.HeartbeatUtc = clock.GetUtcNow().UtcDateTime);
        var (mapping, file) = await MappingAsync(counted, ct);
        var outcome = await StartContactImport.ExecuteAsync(
            parameters.CampaignId, file, $"VAN saved list {parameters.SavedListId.ToString(CultureInfo.InvariantCulture)}.csv", mapping, run.CreatedByUserId,
            services.GetRequiredService<IOptions<ContactsOptions>>().Value.MaxUploadBytes, services.GetRequiredService<CurrentOrganization>(), db,
            services.GetRequiredService<ImportSignal>(), clock, ct);
        if (outcome.Failure is { } failure)
        {
            // The upload rolled back: forget what it had tracked so the run's own record saves cleanly.
            foreach (var entry in db.ChangeTracker.Entries<ContactImport>().ToList())
            {
                entry.State = EntityState.Detached;
            }

            var details = string.Join(" ", failure.Problems?.Select(p => p.Message) ?? []);
            throw new InvalidOperationException($"VAN's export of saved list {parameters.SavedListId} could not be imported: {failure.Message} {details}".Trim());
        }

        var import = await db.ContactImports.AsNoTracking().FirstAsync(i => i.Id == outcome.Value, ct);
        run.ResultId = import.Id;
        run.Items = 1;
        run.Succeeded = 1;
        run.Summary = $"Saved list {parameters.SavedListId} (VAN export job {jobId ?? "?"}, {import.FileBytes:N0} bytes) was handed to the contact importer as import {import.Id}.";
    }

    /// <summary>
    /// Reads the header line of the export (without consuming it) and maps VAN's columns explicitly: the VANID column to
    /// the external id, the cell phone (else the phone) to the phone, names and ZIP; the rest is left to the importer's
    /// usual guesses (custom fields).
    /// </summary>
    internal static async Task<(string? Mapping, Stream File)> MappingAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        int read;
        while (filled < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, filled) < 0 && (read = await body.ReadAsync(buffer.AsMemory(filled), ct)) > 0)
        {
            filled += read;
        }

        var end = Array.IndexOf(buffer, (byte)'\n', 0, filled);
        var line = Encoding.UTF8.GetString(buffer, 0, end < 0 ? filled : end).TrimStart('\uFEFF').TrimEnd('\r');
        var delimiter = line.Count(c => c == '\t') > line.Count(c => c == ',') ? '\t' : ',';
        var headers = line.Split(delimiter).Select(h => h.Trim().Trim('"')).ToList();
        var mapping = new JsonObject();
        Choose(["vanid", "voterfilevanid", "myvoterfilevanid", "mycampaignvanid"], "externalId");
        if (!Choose(["cellphone", "cell", "cellphonenumber", "mobilephone"], "phone"))
        {
            Choose(["phone", "phonenumber", "preferredphone", "homephone"], "phone");
        }

        Choose(["firstname"], "firstName");
        Choose(["lastname"], "lastName");
        Choose(["zip5", "zip", "zipcode"], "zip");
        return (mapping.Count == 0 ? null : mapping.ToJsonString(), new PrefixedStream(buffer, filled, body));

        bool Choose(string[] keys, string field)
        {
            foreach (var key in keys)
            {
                if (headers.FirstOrDefault(h => ColumnMapping.HeaderKey(h) == key) is { } header && !mapping.ContainsKey(header))
                {
                    mapping[header] = field;
                    return true;
                }
            }

            return false;
        }
    }

    private static string? DownloadUrl(JsonObject? job) => job?["downloadUrl"]?.ToString() is { Length: > 0 } url ? url : null;

    private static async Task FailOnAsync(VanAnswer answer, string what, IntegrationContext integration, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (answer.Ok)
        {
            return;
        }

        var result = answer.ToResult();
        if (result.Outcome == DeliveryOutcome.Unauthorized)
        {
            // Same as a refused delivery: the integration shows VAN's own words until someone fixes the key.
            var tracked = await db.Integrations.IgnoreQueryFilters().FirstAsync(i => i.Id == integration.Integration.Id, ct);
            tracked.Health = IntegrationHealth.Unauthorized;
            tracked.LastError = DeliveryResult.Truncate(result.Error!, Integration.MaxErrorLength);
            tracked.LastErrorUtc = clock.GetUtcNow().UtcDateTime;
        }

        throw new InvalidOperationException($"{what}: {result.Error}");
    }

    /// <summary>Passes reads through and calls <c>beat</c> every few megabytes.</summary>
    private sealed class HeartbeatStream(Stream inner, Action beat) : Stream
    {
        private const long Every = 4 * 1024 * 1024;
        private long _sinceBeat;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            _sinceBeat += read;
            if (_sinceBeat >= Every)
            {
                _sinceBeat = 0;
                beat();
            }

            return read;
        }
    }
}
