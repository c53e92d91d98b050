using System.Security.Claims;
using System.Text.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts.Uploads.Parsing;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Contacts.Uploads;

/// <summary>
/// Accepts an upload: stores the whole file in the database (so any instance can process it and a restart loses
/// nothing), checks that its header and mapping make sense, and only then answers 202 with the import's id.
/// </summary>
public static class StartContactImport
{
    public sealed record Response(Guid Id);

    public static async Task<Outcome<Guid>> ExecuteAsync(
        Guid campaignId, Stream file, string fileName, string? mappingJson, Guid userId, long maxBytes,
        CurrentOrganization current, AppDbContext db, ImportSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => new { c.Status }).FirstOrDefaultAsync(ct);
        if (campaign is null)
        {
            return Failure.NotFound("The campaign");
        }

        if (campaign.Status == CampaignStatus.Archived)
        {
            return Failure.Conflict("This campaign is archived; copy it to upload contacts again.");
        }

        if (mappingJson is not null && !IsJsonObject(mappingJson))
        {
            return Failure.Invalid("The mapping must be a JSON object of column name → field, e.g. {\"Cell Phone\": \"phone\"}.", "mapping");
        }

        var import = new ContactImport
        {
            OrganizationId = current.Id!.Value,
            CampaignId = campaignId,
            FileName = Path.GetFileName(fileName).Length > 260 ? Path.GetFileName(fileName)[..260] : Path.GetFileName(fileName),
            MappingJson = mappingJson,
            CreatedByUserId = userId,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.ContactImports.Add(import);
        await db.SaveChangesAsync(ct);
        var index = 0;
        long total = 0;
        while (true)
        {
            var buffer = new byte[ImportChunk.Size]; // each chunk keeps its own array until the save below
            var filled = await FillAsync(file, buffer, ct);
            var last = filled < buffer.Length; // the file ended inside this chunk (or before it)
            if (filled > 0)
            {
                total += filled;
                if (total > maxBytes)
                {
                    return Failure.Unprocessable("The file is too large.", [new Problem($"Files can be at most {maxBytes / (1024 * 1024):N0} MB; split it into smaller files.", "file")]);
                }

                db.ImportChunks.Add(new ImportChunk { ImportId = import.Id, Index = index++, Data = filled == buffer.Length ? buffer : buffer[..filled] });
            }

            if (last || index % ImportChunk.PerRoundTrip == 0)
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Entries<ImportChunk>().ToList().ForEach(e => e.State = EntityState.Detached);
            }

            if (last)
            {
                break;
            }
        }

        if (total == 0)
        {
            return Failure.Unprocessable("The file is empty.", [new Problem("The file is empty: upload a CSV with a header row and at least one contact.", "file")]);
        }

        // Read just the header now, so that a file that is not a CSV or a mapping that cannot work is refused at once.
        await using (var stream = new ImportChunkStream(db, import.Id))
        {
            var opened = await ContactCsvReader.OpenAsync(stream, mappingJson, cancellationToken: ct);
            await using var reader = opened.Reader;
            if (!opened.Succeeded)
            {
                var problems = opened.FileError is { } fileError
                    ? [new Problem(fileError.Message, "file", fileError.LineNumber is { } line ? (int)Math.Min(line, int.MaxValue) : null)]
                    : opened.MappingErrors.Select(e => new Problem(e.Message, e.Column is null ? "mapping" : $"mapping.{e.Column}")).ToList();
                return Failure.Unprocessable("The file cannot be imported; nothing was stored.", problems);
            }
        }

        import.FileBytes = total;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signal.Notify();
        return import.Id;
    }

    public static async Task<Results<Accepted<Response>, ProblemHttpResult>> HandleAsync(
        Guid campaignId, IFormFile? file, [Microsoft.AspNetCore.Mvc.FromForm] string? mapping, ClaimsPrincipal user,
        CurrentOrganization current, AppDbContext db, ImportSignal signal, TimeProvider clock, IOptions<ContactsOptions> options, CancellationToken ct)
    {
        if (file is null)
        {
            return Failure.Invalid("Attach the CSV as the multipart field 'file'.", "file").ToProblem();
        }

        await using var stream = file.OpenReadStream();
        var outcome = await ExecuteAsync(campaignId, stream, file.FileName, string.IsNullOrWhiteSpace(mapping) ? null : mapping,
            user.UserId(), options.Value.MaxUploadBytes, current, db, signal, clock, ct);
        return outcome.Failure is { } f
            ? f.ToProblem()
            : TypedResults.Accepted($"/api/v1/orgs/{current.Slug}/imports/{outcome.Value}", new Response(outcome.Value));
    }

    private static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), ct)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static bool IsJsonObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
