using Chorus.Features.Messaging.Events;
using Chorus.Features.Messaging.Inbound;
using Chorus.Features.Messaging.Providers;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Chorus.Features.Messaging.Webhooks;

/// <summary>
/// <c>POST /webhooks/{provider}/{org}/inbound</c> and <c>/status</c>: what providers call. Every request is verified
/// with the provider's signature over the public URL it was sent to (<c>Chorus:PublicBaseUrl</c>, or this request's
/// scheme and host) — always, with no switch to turn it off — and a forged or unsigned one is refused with 403
/// before anything is stored.
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>Twilio's largest webhook is a 1,600-character body plus a few dozen short fields.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/{provider}/{org}").AllowAnonymous().DisableAntiforgery().WithTags("Webhooks").ExcludeFromDescription();
        group.MapPost("/inbound", HandleInboundAsync);
        group.MapPost("/status", HandleStatusAsync);
        return app;
    }

    private sealed record Verified(MessagingSettingsCache.Entry Organization, Dictionary<string, StringValues> Form)
    {
        public MessagingSettings Settings => Organization.Settings;
    }

    private static async Task<IResult> HandleInboundAsync(
        string provider, string org, HttpRequest request, AppDbContext db, CurrentOrganization current, MessagingSettingsCache organizations,
        InboundProcessor processor, IOptions<ChorusOptions> options, CancellationToken ct)
    {
        var (verified, refusal) = await VerifyAsync(provider, org, request, db, current, organizations, options.Value, ct);
        if (verified is null)
        {
            return refusal!;
        }

        var inbound = TwilioWebhook.ReadInbound(verified.Form, out var error);
        if (inbound is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The webhook is missing what an inbound message needs.", detail: error);
        }

        // Answered only once the text is committed (with others that arrived meanwhile): a 200 means it is stored.
        await processor.ReceiveAsync(new InboundProcessor.Arrival(verified.Organization, provider, inbound)).WaitAsync(ct);
        return Results.Content(EmptyTwiml, "text/xml");
    }

    private static async Task<IResult> HandleStatusAsync(
        string provider, string org, HttpRequest request, AppDbContext db, CurrentOrganization current, MessagingSettingsCache organizations,
        IMessageEvents events, IOptions<ChorusOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var (verified, refusal) = await VerifyAsync(provider, org, request, db, current, organizations, options.Value, ct);
        if (verified is null)
        {
            return refusal!;
        }

        var report = TwilioWebhook.ReadStatus(verified.Form, out var error);
        if (report is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The status callback cannot be read.", detail: error);
        }

        var organizationId = verified.Settings.OrganizationId;
        var now = clock.GetUtcNow().UtcDateTime;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var message = await db.Messages.FirstOrDefaultAsync(m => m.ProviderMessageId == report.ProviderMessageId, ct);
            var changed = false;
            if (message is null)
            {
                // The callback beat the send call's answer (or the id is not ours yet): keep it, never drop it.
                db.PendingStatusReports.Add(new PendingStatusReport
                {
                    OrganizationId = organizationId,
                    ProviderMessageId = report.ProviderMessageId,
                    Status = report.Status,
                    Detail = Detail(report.ProviderStatus),
                    ErrorCode = report.ErrorCode,
                    Carrier = report.Carrier,
                    ReceivedUtc = now,
                });
            }
            else
            {
                changed = await StatusUpdates.ApplyAsync(db, message, report.Status, Detail(report.ProviderStatus), report.ErrorCode, null, report.Carrier, now, ct);
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                continue;
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // A concurrent opt-out of the same number (21610) won the race; apply again on fresh data.
                continue;
            }

            if (changed)
            {
                await events.PublishAsync(new MessageEvent(organizationId, "status", message!.Id, message.ContactId, message.TexterUserId), ct);
            }

            return Results.Content(EmptyTwiml, "text/xml");
        }
    }

    private static string Detail(string providerStatus) => providerStatus.Length <= 40 ? providerStatus : providerStatus[..40];

    private static async Task<(Verified? Verified, IResult? Refusal)> VerifyAsync(
        string provider, string org, HttpRequest request, AppDbContext db, CurrentOrganization current, MessagingSettingsCache organizations,
        ChorusOptions options, CancellationToken ct)
    {
        if (provider is not (MessagingSettings.Simulator or MessagingSettings.Twilio))
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No provider named '{provider}'."));
        }

        var (organization, cached) = await organizations.GetAsync(db, org, fresh: false, ct);
        if (organization is null)
        {
            return (null, NoSuchOrganization());
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"A webhook body may be at most {MaxBodyBytes / 1024} KB."));
        }

        if (!request.HasFormContentType)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Webhooks are form-encoded (application/x-www-form-urlencoded)."));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { ValueLengthLimit = (int)MaxBodyBytes, KeyLengthLimit = 256, ValueCountLimit = 200, BufferBodyLengthLimit = MaxBodyBytes }, ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form body cannot be read.", detail: ex.Message));
        }

        var url = options.BaseUrlFor(request) + request.PathBase + request.Path + request.QueryString;
        var parameters = form.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var signature = request.Headers[TwilioSignature.Header];
        if (!IsSigned(organization) && cached)
        {
            // The secret may have changed on another instance since it was cached: read it again before refusing.
            (organization, _) = await organizations.GetAsync(db, org, fresh: true, ct);
            if (organization is null)
            {
                return (null, NoSuchOrganization());
            }
        }

        if (!IsSigned(organization))
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The request's signature does not match.",
                detail: $"{TwilioSignature.Header} must be the signature of {url} and its form parameters with this organization's {provider} credentials."));
        }

        current.Set(organization.OrganizationId, organization.Slug, null);
        return (new Verified(organization, parameters), null);

        bool IsSigned(MessagingSettingsCache.Entry entry) =>
            entry.SigningSecret(provider) is { } secret && TwilioSignature.IsValid(url, parameters, secret, signature);
    }

    private static IResult NoSuchOrganization() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such organization.");
}
