using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Integrations.Webhooks;

/// <summary>
/// A new signing secret for a webhook, made by Chorus and returned once (the integrations API never returns secrets,
/// so this is the only time it can be read): how a webhook created without a secret gets one, and how a leaked one is
/// replaced. It applies at once to everything sent from then on, retries included.
/// </summary>
public static class WebhookSecrets
{
    public sealed record Rotated(Guid IntegrationId, string SigningSecret, DateTime RotatedUtc, string Note);

    public static async Task<Outcome<Rotated>> RotateAsync(
        Guid id, AuditActor actor, AppDbContext db, IntegrationRegistry registry, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var integration = await db.Integrations.FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null && i.Kind == WebhookHandler.KindName, ct);
        if (integration is null)
        {
            return Failure.NotFound("The webhook");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = WebhookSignature.NewSecret();
        var secrets = new Dictionary<string, string>(registry.Unprotect(integration.SecretsProtected), StringComparer.Ordinal) { [WebhookHandler.SecretName] = secret };
        var had = registry.Unprotect(integration.SecretsProtected).ContainsKey(WebhookHandler.SecretName);
        integration.SecretsProtected = registry.Protect(secrets);
        integration.UpdatedUtc = now;

        // Items that waited for a secret (or on a receiver that refused the old one) go at once, as after new credentials.
        if (integration.Health == IntegrationHealth.Unauthorized)
        {
            integration.Health = IntegrationHealth.Ok;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.IntegrationDeliveries.Where(d => d.IntegrationId == id && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptUtc, now), ct);
        AuditEvent.Record(db, integration.OrganizationId, actor, "integration.secret_rotated", $"integration:{integration.Id}",
            new { secret = WebhookHandler.SecretName, replaced = had }, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signal.Notify();
        return new Rotated(integration.Id, secret, now,
            "Keep this secret: it is shown only now. Receivers verify Chorus-Webhook-Signature with it; the previous secret no longer signs anything.");
    }

    public static async Task<Results<Ok<Rotated>, ProblemHttpResult>> HandleRotateAsync(
        Guid id, ClaimsPrincipal user, HttpContext http, AppDbContext db, IntegrationRegistry registry, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RotateAsync(id, user.AsAuditActor(), db, registry, signal, clock, ct);
        if (outcome.Failure is { } f)
        {
            return f.ToProblem();
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(outcome.Value!);
    }
}
