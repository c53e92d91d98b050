using System.Globalization;
using System.Text.Json;
using Chorus.Features.Analytics.Counters;
using Chorus.Features.Audit;
using Chorus.Features.Contacts.Phones;
using Chorus.Features.Contacts.Uploads.Parsing;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Chorus.Features.Contacts.Uploads;

/// <summary>
/// Works through one stored upload: parses it (streaming), normalizes each phone, keeps opted-out numbers out,
/// resolves each contact's time zone once, and writes batches through the provider's <see cref="ContactBulkWriter"/>.
/// Each batch is one transaction, committed together with the import's counters and its position in the file, so a
/// restart resumes after the last committed batch and nothing is counted twice. Within a batch, contacts go to the
/// writer as they are settled, <see cref="ContactBulkWriter.RowsPerWrite"/> at a time; on PostgreSQL whole batches are
/// written two at a time, beside the reading, and still commit in file order (<see cref="WriteDbs"/>).
/// </summary>
public sealed class ContactImporter(AppDbContext db, ContactBulkWriter writer, TimeProvider clock, ILogger<ContactImporter> logger)
{
    // Each batch commit costs a WAL checkpoint on SQLite: 50,000-row batches halved the commit time of 10,000-row ones.
    public const int DefaultBatchSize = 50_000;

    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>The default of <see cref="YieldAfterRows"/> and of <see cref="ContactsOptions.ImportYieldAfterRows"/>.</summary>
    public const int DefaultYieldAfterRows = 10_000;

    /// <summary>A batch this long commits early when another save waits for the write turn (SQLite; see <see cref="ContactsOptions.ImportYieldAfterRows"/>).</summary>
    public int YieldAfterRows { get; init; } = DefaultYieldAfterRows;

    /// <summary>
    /// Bytes of the stored file read before the import fails as too large: the configured upload limit
    /// (<see cref="ContactsOptions.MaxUploadBytes"/>), so a limit raised above the reader's default 1 GiB holds here too.
    /// </summary>
    public long MaxFileBytes { get; init; } = SizeLimitedStream.DefaultMaxBytes;

    /// <summary>The context the stored file is read through, when it is not <c>db</c>.</summary>
    public AppDbContext? FileDb { get; init; }

    /// <summary>
    /// Contexts of their own for writing batches side by side. With them, the file read through <see cref="FileDb"/>,
    /// and a writer that takes whole batches (<see cref="ContactBulkWriter.RowsPerWrite"/> unbounded: PostgreSQL), each
    /// batch is written on the next of these while the following batches are read and settled, so the database works
    /// on several batches at once and beside the importer. Batches still commit one at a time, in file order, each with
    /// the import's counters, so a restart resumes after the last one committed.
    /// </summary>
    public IReadOnlyList<AppDbContext> WriteDbs { get; init; } = [];

    private readonly GarbageBound _garbage = new(); // settling a row allocates ~1 KB that is dead once it is written

    /// <summary>Processes the import this worker has claimed. Throws only when cancelled or when the claim is lost.</summary>
    public async Task RunAsync(Guid importId, CancellationToken ct)
    {
        var import = await db.ContactImports.IgnoreQueryFilters().FirstAsync(i => i.Id == importId, ct);
        var settings = await db.Organizations.Where(o => o.Id == import.OrganizationId)
            .Select(o => new { o.DefaultTimeZone, o.DefaultRegion }).FirstAsync(ct);
        var optedOut = (await db.OptOuts.IgnoreQueryFilters().Where(o => o.OrganizationId == import.OrganizationId)
            .Select(o => o.PhoneE164).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var known = writer.WantsOnlyNewNumbers ? await CampaignPhonesAsync(import.CampaignId, ct) : null;
        var normalizer = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { DefaultRegion = settings.DefaultRegion });
        var locations = new ImportLocationCache(settings.DefaultTimeZone);

        await using var importConnection = await writer.BeginImportAsync(db, ct); // held open, with its page cache, until the import ends
        await using var stream = new ImportChunkStream(FileDb ?? db, import.Id);
        var opened = await ContactCsvReader.OpenAsync(stream, import.MappingJson, new ContactCsvReaderOptions { MaxFileBytes = MaxFileBytes }, ct);
        if (!opened.Succeeded)
        {
            await FailAsync(import, opened.FileError?.Message ?? string.Join(" ", opened.MappingErrors.Select(e => e.Message)), ct);
            return;
        }

        await using var reader = opened.Reader!;
        var customKeys = reader.Mapping.CustomFields.Select(c => c.CustomFieldKey!).ToArray();
        var batch = new Batch();
        var lanes = FileDb is not null && FileDb != db && writer.RowsPerWrite == int.MaxValue ? WriteDbs.Count : 0;
        var writing = new Task[lanes]; // each lane's batch being written and committed
        var committed = Task.CompletedTask; // the last batch handed to a lane, committed once its task completes
        var handedOff = 0;
        var alreadySettled = import.RowsRead; // captured: the counter moves as batches commit
        long skipped = 0;
        ContactCsvReadStatus status;
        try
        {
            while ((status = await reader.ReadAsync(ct)) == ContactCsvReadStatus.Row)
            {
                // Resuming: these records were settled by batches committed before the restart.
                if (skipped < alreadySettled)
                {
                    skipped++;
                    continue;
                }

                Settle(reader.Current, import, normalizer, optedOut, known, locations, customKeys, batch);
                if (batch.Contacts.Count >= writer.RowsPerWrite)
                {
                    await WriteAsync(batch, ct);
                }

                if (batch.Rows >= BatchSize || (batch.Rows >= YieldAfterRows && db.WriteTurnWanted))
                {
                    if (lanes > 0)
                    {
                        var lane = handedOff++ % lanes;
                        await (writing[lane] ?? Task.CompletedTask);
                        committed = writing[lane] = WriteOnLaneAsync(WriteDbs[lane], import, batch, stream.Position, committed, ct);
                        batch = new Batch();
                    }
                    else
                    {
                        await FlushAsync(import, batch, stream.Position, ct);
                    }
                }
            }

            await Task.WhenAll(writing.Where(w => w is not null));
            await FlushAsync(import, batch, stream.Position, ct);
        }
        finally
        {
            // Leaving with an error: every batch being written must finish (or fail) before its context is used again,
            // and the batch being filled, which did not reach its commit, is rolled back whole.
            await Task.WhenAny(Task.WhenAll(writing.Where(w => w is not null)));
            await batch.DisposeAsync();
        }

        if (status == ContactCsvReadStatus.Failed)
        {
            await FailAsync(import, $"{reader.Error?.Message} The rows before it were imported and are counted above.", ct);
        }
        else if (import.Imported + import.Duplicates + import.OptedOut == 0)
        {
            // Not one usable row is a bad file, not a finished import (issue 4, "zero valid rows"). Duplicates and opted-out
            // numbers were usable rows: importing the same list again still completes. The rejections stay downloadable.
            await FailAsync(import, import.Invalid > 0
                ? "No row had a usable phone number: download the rejected rows to see why."
                : "The file has a header but no rows.", ct);
        }
        else
        {
            await CompleteAsync(import, customKeys, ct);
        }

        await RefreshStatisticsAsync(import, ct);
    }

    /// <summary>
    /// After the import is answered, the database learns what it now holds (<see cref="ContactBulkWriter.RefreshStatisticsAsync"/>).
    /// The import stands whatever happens here, so a failure is only logged.
    /// </summary>
    private async Task RefreshStatisticsAsync(ContactImport import, CancellationToken ct)
    {
        try
        {
            await writer.RefreshStatisticsAsync(db, ct);
        }
        catch (System.Data.Common.DbException e)
        {
            logger.LogWarning(e, "Import {ImportId}: the contact statistics were not refreshed; the database's own schedule will", import.Id);
        }
    }

    /// <summary>
    /// The numbers the campaign already has, as <see cref="PhoneKey"/>s, for a writer that wants only new numbers
    /// (<see cref="ContactBulkWriter.WantsOnlyNewNumbers"/>): a row whose number is here, or was settled earlier in this
    /// file, is a duplicate (the first row wins) and never reaches the writer. So the writer meets a number the campaign
    /// has only when another import or a texter added it meanwhile, which its own conflict handling covers, and
    /// PostgreSQL can COPY straight into contacts. Longs, not strings: ~45 MB for a million numbers, not ~100.
    /// </summary>
    private async Task<HashSet<long>> CampaignPhonesAsync(Guid campaignId, CancellationToken ct)
    {
        var known = new HashSet<long>();
        await foreach (var phone in db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId).Select(c => c.PhoneE164).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (PhoneKey(phone) is { } key)
            {
                known.Add(key);
            }
        }

        return known;
    }

    /// <summary>An E.164 number ("+" and at most 15 digits) as a number; null for anything else.</summary>
    internal static long? PhoneKey(string e164) =>
        e164.Length is > 1 and <= 16 && e164[0] == '+' && long.TryParse(e164.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var key) ? key : null;

    private void Settle(ContactCsvRow row, ContactImport import, PhoneNumberNormalizer normalizer, HashSet<string> optedOut, HashSet<long>? known, ImportLocationCache locations, string[] customKeys, Batch batch)
    {
        batch.Rows++;
        if (row.HasUnexpectedValues)
        {
            batch.Reject(import.Id, row, "The row has more values than the file has columns (an unquoted comma inside a value?).");
            return;
        }

        if (row.HasEncodingErrors)
        {
            batch.Reject(import.Id, row, "The row is not valid UTF-8 text.");
            return;
        }

        var phone = normalizer.Normalize(row.Phone);
        if (!phone.IsAccepted)
        {
            batch.Reject(import.Id, row, phone.Message ?? "The phone number is not valid.");
            return;
        }

        if (optedOut.Contains(phone.E164!))
        {
            batch.OptedOut++;
            return;
        }

        if (known is not null && PhoneKey(phone.E164!) is { } key && !known.Add(key))
        {
            batch.Duplicates++;
            return;
        }

        var zip = Truncate(row.Zip, Contact.MaxZipLength);
        var location = locations.Resolve(row.TimeZone.IsEmpty ? null : row.TimeZone.ToString(), zip, phone.E164!);
        batch.Contacts.Add(new Contact
        {
            OrganizationId = import.OrganizationId,
            CampaignId = import.CampaignId,
            PhoneE164 = phone.E164!,
            FirstName = Truncate(row.FirstName, Contact.MaxNameLength),
            LastName = Truncate(row.LastName, Contact.MaxNameLength),
            Zip = zip,
            ExternalId = Truncate(row.ExternalId, Contact.MaxExternalIdLength),
            CustomFields = CustomJson(row, customKeys),
            TimeZones = string.Join(',', location.TimeZones),
            TimeZoneSource = location.Source.ToString(),
            State = location.State,
            ImportId = import.Id,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        });
    }

    /// <summary>
    /// Writes a batch on a lane's own context while the importer reads on, and commits it once <paramref name="previous"/>
    /// (the batch before it in the file) has committed. The import's counters move by an UPDATE that adds this batch's
    /// counts, in the batch's transaction; the import tracked by <c>db</c>, which nothing else uses meanwhile, is kept level
    /// with them after the commit.
    /// </summary>
    private async Task WriteOnLaneAsync(AppDbContext laneDb, ContactImport import, Batch batch, long bytesRead, Task previous, CancellationToken ct)
    {
        await using (batch)
        {
            batch.Transaction = await laneDb.Database.BeginTransactionAsync(ct);
            if (batch.Contacts.Count > 0)
            {
                batch.Inserted = await writer.InsertAsync(laneDb, batch.Contacts, ct);
                batch.Written = batch.Contacts.Count;
                batch.Contacts.Clear();
            }

            if (batch.Rejections.Count > 0)
            {
                await writer.InsertRejectionsAsync(laneDb, batch.Rejections, ct);
            }

            await previous;
            var (imported, duplicates, invalid, optedOut, rows) = (batch.Inserted, batch.AllDuplicates, batch.Rejections.Count, batch.OptedOut, batch.Rows);
            var (read, heartbeat) = (Math.Min(bytesRead, import.FileBytes), clock.GetUtcNow().UtcDateTime);
            var updated = await laneDb.ContactImports.IgnoreQueryFilters()
                .Where(i => i.Id == import.Id && i.ClaimToken == import.ClaimToken)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(i => i.Imported, i => i.Imported + imported)
                    .SetProperty(i => i.Duplicates, i => i.Duplicates + duplicates)
                    .SetProperty(i => i.Invalid, i => i.Invalid + invalid)
                    .SetProperty(i => i.OptedOut, i => i.OptedOut + optedOut)
                    .SetProperty(i => i.RowsRead, i => i.RowsRead + rows)
                    .SetProperty(i => i.BytesRead, read)
                    .SetProperty(i => i.HeartbeatUtc, heartbeat), ct);
            if (updated == 0)
            {
                throw new DbUpdateConcurrencyException("Another worker took this import over.");
            }

            CampaignCounters.Add(laneDb, import.CampaignId, CounterKeys.Contacts, imported);
            await laneDb.SaveChangesAsync(ct);
            await batch.Transaction.CommitAsync(ct);
            (import.Imported, import.Duplicates, import.Invalid, import.OptedOut) = (import.Imported + imported, import.Duplicates + duplicates, import.Invalid + invalid, import.OptedOut + optedOut);
            (import.RowsRead, import.BytesRead, import.HeartbeatUtc) = (import.RowsRead + rows, read, heartbeat);
        }

        CollectBatchGarbage(batch.Rows);
    }

    private async Task FlushAsync(ContactImport import, Batch batch, long bytesRead, CancellationToken ct)
    {
        if (batch.Rows == 0)
        {
            return;
        }

        await WriteAsync(batch, ct);
        if (batch.Rejections.Count > 0)
        {
            await writer.InsertRejectionsAsync(db, batch.Rejections, ct);
        }

        import.Imported += batch.Inserted;
        CampaignCounters.Add(db, import.CampaignId, CounterKeys.Contacts, batch.Inserted);
        import.Duplicates += batch.AllDuplicates;
        import.Invalid += batch.Rejections.Count;
        import.OptedOut += batch.OptedOut;
        import.RowsRead += batch.Rows;
        import.BytesRead = Math.Min(bytesRead, import.FileBytes);
        import.HeartbeatUtc = clock.GetUtcNow().UtcDateTime;

        // ClaimToken is a concurrency token: if another worker took this import over, this save fails and rolls back.
        await db.SaveChangesAsync(ct);
        await batch.Transaction!.CommitAsync(ct);
        var rows = batch.Rows;
        await batch.ClearAsync();
        CollectBatchGarbage(rows);
    }

    /// <summary>Committed rows between two forced collections (<see cref="CollectBatchGarbage"/>).</summary>
    private const int RowsPerCollection = 20_000;

    private int _rowsSinceCollection;

    /// <summary>
    /// What a batch kept until its commit (its rejections; on PostgreSQL its contacts, buffered for one COPY) lived long
    /// enough to reach generation 2, which the GC collects only when its own budget says so, so the dead rows of earlier
    /// batches stayed resident beside the next one. One full collection per batch, about 20 for a million rows: on
    /// SQLite, 346–349 MB peak and 31–35 s against 354–358 MB and 37–38 s without. PostgreSQL's batches are smaller
    /// (8,000 rows), and collecting after every 12,000-row one (74 blocking collections per million rows) cost 0.5–2.5 s against
    /// collecting after every other one, at the same peak (BENCHMARKS.md); so at most one per 20,000 rows committed.
    /// </summary>
    private void CollectBatchGarbage(int rows)
    {
        _rowsSinceCollection += rows;
        if (_rowsSinceCollection < RowsPerCollection)
        {
            return;
        }

        _rowsSinceCollection = 0;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
    }

    /// <summary>
    /// Hands the settled contacts to the writer, in the batch's transaction (begun by the first write). On SQLite the
    /// batch first takes this process's write turn, as every save does, and holds it until it commits: other saves
    /// then wait in line at the gate, where the batch can see them, instead of asleep in SQLite's busy handler.
    /// </summary>
    private async Task WriteAsync(Batch batch, CancellationToken ct)
    {
        if (batch.Transaction is null)
        {
            batch.Turn = await db.WriteTurnAsync(ct);
            batch.Transaction = await db.Database.BeginTransactionAsync(ct);
        }

        if (batch.Contacts.Count == 0)
        {
            return;
        }

        batch.Inserted += await writer.InsertAsync(db, batch.Contacts, ct);
        batch.Written += batch.Contacts.Count;
        batch.Contacts.Clear();
        _garbage.Check();
    }

    private async Task CompleteAsync(ContactImport import, string[] customKeys, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == import.CampaignId, ct);
        var known = campaign.CustomFields.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = customKeys.Where(known.Add).ToList();
        if (added.Count > 0)
        {
            campaign.CustomFields = [.. campaign.CustomFields, .. added];
        }

        var now = clock.GetUtcNow().UtcDateTime;
        import.Status = ImportStatus.Completed;
        import.CompletedUtc = now;
        import.BytesRead = import.FileBytes;
        AuditEvent.Record(db, import.OrganizationId, new AuditActor(import.CreatedByUserId, "contact import"), "contacts.imported", $"import:{import.Id}",
            new { campaign = import.CampaignId, import.FileName, import.RowsRead, import.Imported, import.Invalid, import.Duplicates, import.OptedOut }, now);
        await db.SaveChangesAsync(ct);
        await db.ImportChunks.Where(c => c.ImportId == import.Id).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Import {ImportId} completed: {Imported} imported, {Invalid} invalid, {Duplicates} duplicates, {OptedOut} opted out",
            import.Id, import.Imported, import.Invalid, import.Duplicates, import.OptedOut);
    }

    public async Task FailAsync(ContactImport import, string reason, CancellationToken ct)
    {
        import.Status = ImportStatus.Failed;
        import.Error = reason.Length > ContactImport.MaxErrorLength ? reason[..ContactImport.MaxErrorLength] : reason;
        import.CompletedUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await db.ImportChunks.Where(c => c.ImportId == import.Id).ExecuteDeleteAsync(ct);
        logger.LogWarning("Import {ImportId} failed: {Reason}", import.Id, reason);
    }

    private static string Truncate(ReadOnlySpan<char> value, int max) => (value.Length > max ? value[..max] : value).ToString();

    private readonly System.Buffers.ArrayBufferWriter<byte> _json = new(1024);

    /// <summary>Custom fields as a JSON object, written directly (no dictionary per row); blank values are left out.</summary>
    private string CustomJson(ContactCsvRow row, string[] keys)
    {
        if (keys.Length == 0)
        {
            return "{}";
        }

        _json.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_json))
        {
            json.WriteStartObject();
            for (var i = 0; i < keys.Length; i++)
            {
                var value = row.GetCustomValue(i);
                if (!value.IsEmpty)
                {
                    json.WriteString(keys[i], value.Length > 1000 ? value[..1000] : value);
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    /// <summary>One batch's transaction, its settled contacts not yet written, its rejections and its counts.</summary>
    private sealed class Batch : IAsyncDisposable
    {
        public IDbContextTransaction? Transaction { get; set; }

        /// <summary>The write turn the batch holds until its transaction ends (SQLite); null where the provider needs none.</summary>
        public IDisposable? Turn { get; set; }

        public List<Contact> Contacts { get; } = [];
        public List<ImportRejection> Rejections { get; } = [];
        public int Rows { get; set; }
        public int OptedOut { get; set; }

        /// <summary>Rows whose number the campaign had, or an earlier row of the file had.</summary>
        public int Duplicates { get; set; }

        /// <summary>Contacts handed to the writer, and how many of them it inserted (the rest are duplicates).</summary>
        public int Written { get; set; }

        public int Inserted { get; set; }

        /// <summary>Every duplicate of the batch: those dropped before the writer and those the writer refused.</summary>
        public int AllDuplicates => Duplicates + Written - Inserted;

        public void Reject(Guid importId, ContactCsvRow row, string reason) =>
            Rejections.Add(new ImportRejection { ImportId = importId, LineNumber = row.LineNumber, Reason = reason.Length > 300 ? reason[..300] : reason, RawRecord = row.RawRecord.ToString() });

        public async Task ClearAsync()
        {
            await DisposeAsync();
            Contacts.Clear();
            Rejections.Clear();
            Rows = 0;
            OptedOut = 0;
            Duplicates = 0;
            Written = 0;
            Inserted = 0;
        }

        /// <summary>A batch that did not reach its commit (a crash, a lost claim, a cancel) is rolled back whole.</summary>
        public async ValueTask DisposeAsync()
        {
            if (Transaction is { } transaction)
            {
                Transaction = null;
                await transaction.DisposeAsync();
            }

            Turn?.Dispose();
            Turn = null;
        }
    }
}
