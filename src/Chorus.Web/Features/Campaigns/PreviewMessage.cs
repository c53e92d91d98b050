using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Campaigns.Templates;
using Chorus.Features.Links;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

/// <summary>
/// The composer's numbers for any message being typed: characters, encoding, segments, the characters that force
/// UCS-2 (with their GSM replacements) and the estimated cost. Given a template, renders it first.
/// </summary>
public static class PreviewMessage
{
    public const int MaxContactFields = 100;

    public sealed record Request(
        [property: MaxLength(Campaign.MaxMessageLength * 2)] string? Text,
        [property: MaxLength(Campaign.MaxMessageLength * 2)] string? Template,
        IReadOnlyDictionary<string, string?>? Contact,
        Guid? ContactId,
        Guid? CampaignId,
        bool? AppendOptOutLanguage,
        bool? TrackLinks = null);

    public sealed record NonGsm(string Character, int Count, string? Replacement);

    public sealed record Response(string Text, int Characters, string Encoding, int Segments, IReadOnlyList<NonGsm> NonGsmCharacters, decimal EstimatedCost);

    public static async Task<Outcome<Response>> ExecuteAsync(Request request, string texterFirstName, CurrentOrganization current, AppDbContext db, LinkTracker links, CancellationToken ct)
    {
        if ((request.Text is null) == (request.Template is null))
        {
            return Failure.Invalid("Send either 'text' or 'template' (with an optional 'contact').", "text");
        }

        if (request.Contact is { Count: > MaxContactFields })
        {
            return Failure.Invalid($"A sample contact can have at most {MaxContactFields} fields.", "contact");
        }

        if (request.ContactId is not null && request.Contact is not null)
        {
            return Failure.Invalid("Send either 'contact' or 'contactId', not both.", "contactId");
        }

        var campaignId = request.CampaignId;
        IReadOnlyDictionary<string, string?>? sample = request.Contact;
        if (request.ContactId is { } contactId)
        {
            var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, ct);
            if (contact is null)
            {
                return Failure.NotFound("The contact");
            }

            campaignId ??= contact.CampaignId;
            var values = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(contact.CustomFields) ?? [];
            values[MergeFields.FirstName] = contact.FirstName;
            values[MergeFields.LastName] = contact.LastName;
            values[MergeFields.Zip] = contact.Zip;
            sample = values;
        }

        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == current.Id)
            .Select(o => new { o.Name, o.OptOutLanguage, o.PricePerSegment }).FirstAsync(ct);
        var text = request.Text ?? "";
        var requireOptOut = request.AppendOptOutLanguage ?? false;
        if (request.Template is { } template)
        {
            IReadOnlyCollection<string> customFields = [];
            if (campaignId is { } id)
            {
                var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == id)
                    .Select(c => new { c.CustomFields, c.RequireOptOutLanguage }).FirstOrDefaultAsync(ct);
                if (campaign is null)
                {
                    return Failure.NotFound("The campaign");
                }

                customFields = campaign.CustomFields;
                requireOptOut = request.AppendOptOutLanguage ?? campaign.RequireOptOutLanguage;
            }

            sample ??= new Dictionary<string, string?>();
            var known = customFields.Concat(sample.Keys.Where(k => !MergeFields.BuiltIn.Contains(k, StringComparer.OrdinalIgnoreCase) && MergeFields.IsValidName(k))).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var parsed = MessageTemplate.Parse(template, known);
            if (!parsed.IsValid)
            {
                return Failure.Unprocessable("The template has errors.", [.. parsed.Errors.Select(e => new Problem(e.Message, "template", e.Line, e.Column))]);
            }

            var values = new Dictionary<string, string?>(sample, StringComparer.OrdinalIgnoreCase);
            values.TryAdd(MergeFields.OrgName, organization.Name);
            values.TryAdd(MergeFields.TexterFirstName, texterFirstName);
            text = parsed.Template!.Render(values);
        }

        text = ScriptRules.WithOptOutLanguage(text, requireOptOut, organization.OptOutLanguage);

        // A campaign's initial message is sent with short links (Features/Links): preview it with codes of their length.
        if (request.TrackLinks ?? campaignId is not null)
        {
            text = links.Preview(text);
        }

        var info = SegmentCounter.Analyze(text);
        return new Response(
            text,
            info.Characters,
            info.Encoding == SmsEncoding.Gsm7 ? "GSM-7" : "UCS-2",
            info.Segments,
            [.. info.NonGsmCharacters.Select(c => new NonGsm(c.Character, c.Count, c.Replacement))],
            SegmentCounter.EstimateCost(info.Segments, organization.PricePerSegment));
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, LinkTracker links, CancellationToken ct)
    {
        var firstName = (user.FindFirstValue("display_name") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var outcome = await ExecuteAsync(request, firstName, current, db, links, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
