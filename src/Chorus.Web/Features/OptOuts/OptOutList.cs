using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text;
using Chorus.Features.Audit;
using Chorus.Features.Contacts.Phones;
using Chorus.Features.Contacts.Uploads.Parsing;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.OptOuts;

/// <summary>
/// The organization's opt-out list: read it (paged, or all as CSV), add a number by hand, import a list, and remove a
/// number — the one way to undo an opt-out, admins only, audited. An opt-out applies at once to every campaign.
/// </summary>
public static class OptOutList
{
    public const int MaxPageSize = 500;

    public sealed record Item(string Phone, string Source, string? Reason, DateTime CreatedUtc);

    public sealed record Page(List<Item> Items, int PageNumber, int PageSize, int Total);

    public sealed record AddRequest([property: Required, MaxLength(40)] string Phone, [property: MaxLength(OptOut.MaxReasonLength)] string? Reason);

    /// <summary>
    /// What an import did with each row. <c>DatesIgnored</c>: added numbers whose date could not be read or lay in the
    /// future; they are on the list as of the import, since a person's opt-out must not be lost over a bad date.
    /// </summary>
    public sealed record ImportResult(long RowsRead, long Added, long AlreadyOptedOut, long Invalid, long DatesIgnored);

    // Header keys (ColumnMapping.HeaderKey: lower case, letters and digits) of an import's optional columns; our own
    // export writes opted_out_utc, source and reason.
    private static readonly string[] DateHeaders = ["date", "optedoutat", "optedoututc", "optedoutdate", "optoutdate", "created", "createdat", "createdutc"];
    private static readonly string[] SourceHeaders = ["source"];
    private static readonly string[] ReasonHeaders = ["reason"];

    /// <summary>What <see cref="OptOut.Source"/> holds for an imported number whose file names no source.</summary>
    public const string ImportSource = "import";

    public static async Task<Outcome<Item>> AddAsync(AddRequest request, string source, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var region = await db.Organizations.Where(o => o.Id == current.Id).Select(o => o.DefaultRegion).FirstAsync(ct);
        var phone = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { DefaultRegion = region, AllowedRegions = null }).Normalize(request.Phone);
        if (!phone.IsAccepted && phone.Rejection is not (PhoneNumberRejection.TollFree or PhoneNumberRejection.Fictional or PhoneNumberRejection.ServiceCode or PhoneNumberRejection.PremiumOrSpecial))
        {
            return Failure.Invalid(phone.Message ?? "That is not a phone number.", "phone");
        }

        // Numbers we would never text still go on the list if a person asks: the list is about people, not our rules.
        // The normalizer gives no E.164 for those, so write it from the digits; a raw "(312) 555-0142" would never match.
        var e164 = phone.E164 ?? DigitsAsE164(request.Phone);
        if (e164 is null)
        {
            return Failure.Invalid("Give the number with its area code, e.g. (212) 555-0123 or +12125550123.", "phone");
        }
        var existing = await db.OptOuts.AsNoTracking().FirstOrDefaultAsync(o => o.PhoneE164 == e164, ct);
        if (existing is not null)
        {
            return new Item(existing.PhoneE164, existing.Source, existing.Reason, existing.CreatedUtc);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var optOut = new OptOut { OrganizationId = current.Id!.Value, PhoneE164 = e164, Source = source, Reason = request.Reason?.Trim(), CreatedByUserId = actor.UserId, CreatedUtc = now };
        db.OptOuts.Add(optOut);
        AuditEvent.Record(db, optOut.OrganizationId, actor, "opt_out.added", $"phone:{e164}", new { source, reason = optOut.Reason }, now);
        await db.SaveChangesAsync(ct);
        return new Item(optOut.PhoneE164, optOut.Source, optOut.Reason, optOut.CreatedUtc);
    }

    /// <summary>
    /// A number we would never text (toll-free, fictional, a service code) still gets a canonical E.164 form from its
    /// digits, so it can be opted out or looked up; null when the digits can't be one.
    /// </summary>
    internal static string? DigitsAsE164(string text)
    {
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return digits.Length switch
        {
            10 => "+1" + digits,
            11 when digits[0] == '1' => "+" + digits,
            >= 8 and <= 15 when text.TrimStart().StartsWith('+') => "+" + digits,
            _ => null,
        };
    }

    public static async Task<Failure?> RemoveAsync(string phone, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var optOut = await db.OptOuts.FirstOrDefaultAsync(o => o.PhoneE164 == phone, ct);
        if (optOut is null)
        {
            return Failure.NotFound("That number on the opt-out list");
        }

        db.OptOuts.Remove(optOut);
        AuditEvent.Record(db, optOut.OrganizationId, actor, "opt_out.removed", $"phone:{optOut.PhoneE164}",
            new { optOut.Source, optOut.Reason, optedOutUtc = optOut.CreatedUtc }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return null;
    }

    public static async Task<Outcome<ImportResult>> ImportAsync(Stream file, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var opened = await ContactCsvReader.OpenAsync(file, cancellationToken: ct);
        if (!opened.Succeeded)
        {
            return Failure.Unprocessable("The file cannot be imported.",
                opened.FileError is { } e ? [new Problem(e.Message, "file")] : [.. opened.MappingErrors.Select(m => new Problem(m.Message, "file"))]);
        }

        await using var reader = opened.Reader!;
        var region = await db.Organizations.Where(o => o.Id == current.Id).Select(o => o.DefaultRegion).FirstAsync(ct);
        var normalizer = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { DefaultRegion = region, AllowedRegions = null });
        var known = (await db.OptOuts.Select(o => o.PhoneE164).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow().UtcDateTime;
        var (dateColumn, sourceColumn, reasonColumn) = (ColumnOf(reader, DateHeaders), ColumnOf(reader, SourceHeaders), ColumnOf(reader, ReasonHeaders));
        long rows = 0, added = 0, already = 0, invalid = 0, datesIgnored = 0;
        while (await reader.ReadAsync(ct) == ContactCsvReadStatus.Row)
        {
            rows++;
            var phone = normalizer.Normalize(reader.Current.Phone);
            if (phone.E164 is null)
            {
                invalid++;
            }
            else if (!known.Add(phone.E164))
            {
                already++;
            }
            else
            {
                added++;
                var date = reader.Current.GetValue(dateColumn).Trim();
                var optedOutUtc = date.IsEmpty ? now : OptOutDate.Parse(date);
                if (optedOutUtc is null || optedOutUtc > now)
                {
                    datesIgnored++;
                    optedOutUtc = now;
                }

                var source = reader.Current.GetValue(sourceColumn).Trim();
                var reason = reader.Current.GetValue(reasonColumn).Trim();
                db.OptOuts.Add(new OptOut
                {
                    OrganizationId = current.Id!.Value,
                    PhoneE164 = phone.E164,
                    Source = source.IsEmpty ? ImportSource : source[..Math.Min(source.Length, OptOut.MaxSourceLength)].ToString(),
                    Reason = reason.IsEmpty ? null : reason[..Math.Min(reason.Length, OptOut.MaxReasonLength)].ToString(),
                    CreatedByUserId = actor.UserId,
                    CreatedUtc = optedOutUtc.Value,
                });
            }
        }

        if (reader.Error is { } error)
        {
            return Failure.Unprocessable("The file could not be read to the end; nothing was added.", [new Problem(error.Message, "file")]);
        }

        AuditEvent.Record(db, current.Id!.Value, actor, "opt_out.imported", "opt_outs", new { rows, added, already, invalid, datesIgnored }, now);
        await db.SaveChangesAsync(ct);
        return new ImportResult(rows, added, already, invalid, datesIgnored);
    }

    /// <summary>The first column whose header is one of <paramref name="keys"/>; -1 (every value empty) when none is.</summary>
    private static int ColumnOf(ContactCsvReader reader, string[] keys)
    {
        for (var i = 0; i < reader.Headers.Count; i++)
        {
            if (keys.Contains(ColumnMapping.HeaderKey(reader.Headers[i]), StringComparer.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public static async Task<IResult> HandleListAsync(
        [Range(1, int.MaxValue)] int? page, [Range(1, MaxPageSize)] int? pageSize, string? format, AppDbContext db, HttpResponse response, CancellationToken ct)
    {
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = "text/csv; charset=utf-8";
            response.Headers.ContentDisposition = "attachment; filename=\"opt-outs.csv\"";
            await using var writer = new StreamWriter(response.Body, new UTF8Encoding(true));
            await WriteCsvAsync(db, writer, ct);
            return Results.Empty;
        }

        return TypedResults.Ok(await PageAsync(page, pageSize, newestFirst: false, db, ct));
    }

    /// <summary>One page of the list; the API pages oldest first (stable while numbers are added), people want the newest.</summary>
    public static async Task<Page> PageAsync(int? page, int? pageSize, bool newestFirst, AppDbContext db, CancellationToken ct)
    {
        var all = newestFirst ? db.OptOuts.AsNoTracking().OrderByDescending(o => o.CreatedUtc).ThenBy(o => o.PhoneE164) : Ordered(db);
        var number = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var total = await all.CountAsync(ct);
        var items = await all.Skip((number - 1) * size).Take(size).Select(o => new Item(o.PhoneE164, o.Source, o.Reason, o.CreatedUtc)).ToListAsync(ct);
        return new Page(items, number, size, total);
    }

    /// <summary>The whole list as CSV (phone, source, reason, opted_out_utc), oldest first.</summary>
    public static async Task WriteCsvAsync(AppDbContext db, TextWriter writer, CancellationToken ct)
    {
        await writer.WriteAsync("phone,source,reason,opted_out_utc\r\n");
        await foreach (var o in Ordered(db).AsAsyncEnumerable().WithCancellation(ct))
        {
            // An imported list's source is text from someone else's file, so it is quoted and neutralized like the reason.
            await writer.WriteAsync($"{o.PhoneE164},{CsvCell.Quote(o.Source)},{CsvCell.Quote(o.Reason)},{o.CreatedUtc:O}\r\n");
        }
    }

    private static IOrderedQueryable<OptOut> Ordered(AppDbContext db) => db.OptOuts.AsNoTracking().OrderBy(o => o.CreatedUtc).ThenBy(o => o.PhoneE164);

    public static async Task<Results<Created<Item>, ProblemHttpResult>> HandleAddAsync(
        AddRequest request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await AddAsync(request, "manual", user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Created($"/api/v1/orgs/{current.Slug}/opt-outs/{Uri.EscapeDataString(outcome.Value!.Phone)}", outcome.Value);
    }

    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> HandleImportAsync(
        IFormFile? file, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (file is null)
        {
            return Failure.Invalid("Attach the CSV as the multipart field 'file'.", "file").ToProblem();
        }

        await using var stream = new SizeLimitedStream(file.OpenReadStream(), 256L * 1024 * 1024, leaveOpen: false);
        var outcome = await ImportAsync(stream, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleRemoveAsync(string phone, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await RemoveAsync(phone, user.AsAuditActor(), db, clock, ct) is { } f ? f.ToProblem() : TypedResults.NoContent();
}
