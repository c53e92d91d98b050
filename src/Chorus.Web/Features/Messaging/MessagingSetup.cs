using System.Security.Claims;
using System.Text.RegularExpressions;
using Chorus.Features.Audit;
using Chorus.Features.Messaging.Keywords;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chorus.Features.Messaging;

/// <summary>
/// <c>GET|PUT /api/v1/orgs/{org}/messaging</c>: the organization's provider, credentials, numbers, limits, keywords
/// and automatic texts. Secrets are write-only: GET says whether one is set, never what it is; a PUT without one
/// keeps the stored one.
/// </summary>
public static partial class MessagingSetup
{
    public sealed record TwilioBody(string? AccountSid, string? AuthToken, string? MessagingServiceSid, List<string>? Numbers, string? ApiBaseUrl, bool? AnswersKeywords);

    public sealed record LimitsBody(int? MessagesPerSecond, int? MessagesPerSecondPerNumber, int? MessagesPerDay);

    public sealed record KeywordsBody(List<string>? OptOut, List<string>? OptIn, List<string>? Help, List<string>? LikelyOptOut);

    public sealed record TextsBody(string? Help, string? OptOutConfirmation, string? OptInConfirmation);

    public sealed record Request(string? Provider, TwilioBody? Twilio, LimitsBody? Limits, KeywordsBody? Keywords, TextsBody? Texts);

    public sealed record TwilioView(string? AccountSid, bool AuthTokenSet, string? MessagingServiceSid, IReadOnlyList<string> Numbers, string? ApiBaseUrl, bool AnswersKeywords);

    public sealed record WebhooksView(string Inbound, string Status);

    public sealed record Response(
        string Provider, TwilioView Twilio, LimitsBody Limits, KeywordsBody Keywords, TextsBody Texts, WebhooksView Webhooks, bool Ready, string? NotReadyBecause);

    public const int MaxLimitPerSecond = 10_000;
    public const int MaxLimitPerDay = 10_000_000;

    public static async Task<Response> GetAsync(CurrentOrganization current, AppDbContext db, MessagingAccounts accounts, string baseUrl, TimeProvider clock, CancellationToken ct)
    {
        var settings = await accounts.GetOrCreateAsync(db, current.Id!.Value, clock.GetUtcNow().UtcDateTime, ct);
        return View(settings, current.Slug!, baseUrl);
    }

    public static async Task<Outcome<Response>> UpdateAsync(
        Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, MessagingAccounts accounts, MessagingSettingsCache cache,
        string baseUrl, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = await accounts.GetOrCreateAsync(db, current.Id!.Value, now, ct);
        var problems = Validate(request, settings);
        if (problems.Count > 0)
        {
            return Failure.Unprocessable("The messaging settings have problems; nothing was changed.", problems);
        }

        var twilio = request.Twilio;
        settings.Provider = request.Provider!;
        if (twilio is not null)
        {
            settings.TwilioAccountSid = Blank(twilio.AccountSid) ?? settings.TwilioAccountSid;
            if (Blank(twilio.AuthToken) is { } token)
            {
                settings.TwilioAuthTokenProtected = accounts.Protect(token);
            }

            settings.TwilioMessagingServiceSid = Blank(twilio.MessagingServiceSid);
            settings.TwilioNumbers = string.Join(',', (twilio.Numbers ?? []).Select(n => n.Trim()).Distinct(StringComparer.Ordinal));
            settings.TwilioApiBaseUrl = Blank(twilio.ApiBaseUrl)?.TrimEnd('/');
            settings.TwilioAnswersKeywords = twilio.AnswersKeywords ?? true;
        }

        if (request.Limits is { } limits)
        {
            (settings.MessagesPerSecond, settings.MessagesPerSecondPerNumber, settings.MessagesPerDay) = (limits.MessagesPerSecond, limits.MessagesPerSecondPerNumber, limits.MessagesPerDay);
        }

        if (request.Keywords is { } keywords)
        {
            settings.OptOutKeywords = Join(keywords.OptOut);
            settings.OptInKeywords = Join(keywords.OptIn);
            settings.HelpKeywords = Join(keywords.Help);
            settings.LikelyOptOutPhrases = Join(keywords.LikelyOptOut);
        }

        if (request.Texts is { } texts)
        {
            settings.HelpText = Blank(texts.Help) ?? MessagingSettings.DefaultHelpText;
            settings.OptOutConfirmation = Blank(texts.OptOutConfirmation) ?? MessagingSettings.DefaultOptOutConfirmation;
            settings.OptInConfirmation = Blank(texts.OptInConfirmation) ?? MessagingSettings.DefaultOptInConfirmation;
        }

        settings.UpdatedUtc = now;
        // Never the secret, not even hashed: only that one was given.
        AuditEvent.Record(db, settings.OrganizationId, actor, "messaging.updated", "messaging", new
        {
            provider = settings.Provider,
            accountSid = settings.TwilioAccountSid,
            authTokenChanged = Blank(twilio?.AuthToken) is not null,
            messagingServiceSid = settings.TwilioMessagingServiceSid,
            numbers = settings.Numbers,
            apiBaseUrl = settings.TwilioApiBaseUrl,
            limits = request.Limits,
        }, now);
        await db.SaveChangesAsync(ct);
        cache.Invalidate(settings.OrganizationId);
        return View(settings, current.Slug!, baseUrl);
    }

    /// <summary>Why sending cannot work with these settings, or null when it can (a launch check, issue 3).</summary>
    public static string? NotReadyBecause(MessagingSettings settings) => settings.Provider switch
    {
        MessagingSettings.Twilio when settings.TwilioAccountSid is null || settings.TwilioAuthTokenProtected is null =>
            "Twilio is the provider but its Account SID or auth token is missing.",
        MessagingSettings.Twilio when settings.TwilioMessagingServiceSid is null && settings.Numbers.Count == 0 =>
            "Twilio is the provider but there is neither a Messaging Service SID nor a sending number.",
        _ => null,
    };

    private static List<Problem> Validate(Request request, MessagingSettings stored)
    {
        var problems = new List<Problem>();
        if (request.Provider is not (MessagingSettings.Simulator or MessagingSettings.Twilio))
        {
            problems.Add(new("Choose the provider: \"simulator\" or \"twilio\".", "provider"));
        }

        if (request.Twilio is { } t)
        {
            if (Blank(t.AccountSid) is { } sid && !AccountSidPattern().IsMatch(sid))
            {
                problems.Add(new("An Account SID is AC followed by 32 hexadecimal characters.", "twilio.accountSid"));
            }

            if (t.AuthToken is { Length: > 200 })
            {
                problems.Add(new("The auth token is too long.", "twilio.authToken"));
            }

            if (Blank(t.MessagingServiceSid) is { } service && !ServiceSidPattern().IsMatch(service))
            {
                problems.Add(new("A Messaging Service SID is MG followed by 32 hexadecimal characters.", "twilio.messagingServiceSid"));
            }

            foreach (var (number, i) in (t.Numbers ?? []).Select((n, i) => (n, i)))
            {
                if (!E164Pattern().IsMatch(number?.Trim() ?? ""))
                {
                    problems.Add(new($"'{number}' is not a phone number in E.164 form (+12025550123).", $"twilio.numbers[{i}]"));
                }
            }

            if (t.Numbers is { Count: > 200 })
            {
                problems.Add(new("At most 200 sending numbers; use a Messaging Service for more.", "twilio.numbers"));
            }

            if (Blank(t.ApiBaseUrl) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                problems.Add(new("The API base URL must be an absolute http(s) address.", "twilio.apiBaseUrl"));
            }
        }

        if (request.Provider == MessagingSettings.Twilio)
        {
            var t2 = request.Twilio;
            if ((Blank(t2?.AccountSid) ?? stored.TwilioAccountSid) is null)
            {
                problems.Add(new("Twilio needs the Account SID.", "twilio.accountSid"));
            }

            if (Blank(t2?.AuthToken) is null && stored.TwilioAuthTokenProtected is null)
            {
                problems.Add(new("Twilio needs the auth token.", "twilio.authToken"));
            }

            if (Blank(t2?.MessagingServiceSid) is null && (t2?.Numbers ?? []).Count == 0)
            {
                problems.Add(new("Give a Messaging Service SID or at least one sending number.", "twilio.numbers"));
            }
        }

        if (request.Limits is { } limits)
        {
            CheckRange(limits.MessagesPerSecond, MaxLimitPerSecond, "limits.messagesPerSecond");
            CheckRange(limits.MessagesPerSecondPerNumber, MaxLimitPerSecond, "limits.messagesPerSecondPerNumber");
            CheckRange(limits.MessagesPerDay, MaxLimitPerDay, "limits.messagesPerDay");
        }

        if (request.Keywords is { } keywords)
        {
            foreach (var (list, field) in new[] { (keywords.OptOut, "optOut"), (keywords.OptIn, "optIn"), (keywords.Help, "help"), (keywords.LikelyOptOut, "likelyOptOut") })
            {
                if (list is { Count: > 100 } || (list ?? []).Any(k => string.IsNullOrWhiteSpace(k) || k.Length > 60 || k.Contains(',', StringComparison.Ordinal)))
                {
                    problems.Add(new("Each keyword is 1–60 characters without commas, at most 100 per list.", $"keywords.{field}"));
                }
            }
        }

        if (request.Texts is { } texts)
        {
            foreach (var (text, field) in new[] { (texts.Help, "help"), (texts.OptOutConfirmation, "optOutConfirmation"), (texts.OptInConfirmation, "optInConfirmation") })
            {
                if (text is { Length: > MessagingSettings.MaxTextLength })
                {
                    problems.Add(new($"At most {MessagingSettings.MaxTextLength} characters.", $"texts.{field}"));
                }
            }

            // DOMAIN.md §2.3: the one confirmation merely confirms; no links, no asks.
            if (texts.OptOutConfirmation is { } confirmation && LinkPattern().IsMatch(confirmation))
            {
                problems.Add(new("The opt-out confirmation may not contain a link (the law allows only a plain confirmation).", "texts.optOutConfirmation"));
            }
        }

        return problems;

        void CheckRange(int? value, int max, string field)
        {
            if (value is { } v && (v < 1 || v > max))
            {
                problems.Add(new($"Between 1 and {max:N0}, or empty for the default.", field));
            }
        }
    }

    private static Response View(MessagingSettings s, string slug, string baseUrl)
    {
        var rules = KeywordRules.Parse(s.OptOutKeywords, s.OptInKeywords, s.HelpKeywords, s.LikelyOptOutPhrases);
        var root = $"{baseUrl.TrimEnd('/')}/webhooks/{s.Provider}/{slug}";
        return new Response(
            s.Provider,
            new TwilioView(s.TwilioAccountSid, s.TwilioAuthTokenProtected is not null, s.TwilioMessagingServiceSid, s.Numbers, s.TwilioApiBaseUrl, s.TwilioAnswersKeywords),
            new LimitsBody(s.MessagesPerSecond, s.MessagesPerSecondPerNumber, s.MessagesPerDay),
            new KeywordsBody([.. rules.OptOut], [.. rules.OptIn], [.. rules.Help], [.. rules.LikelyOptOutPhrases]),
            new TextsBody(s.HelpText, s.OptOutConfirmation, s.OptInConfirmation),
            new WebhooksView($"{root}/inbound", $"{root}/status"),
            NotReadyBecause(s) is null,
            NotReadyBecause(s));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Join(List<string>? list) => list is null ? null : string.Join(',', list.Select(k => k.Trim()));

    public static async Task<Ok<Response>> HandleGetAsync(CurrentOrganization current, AppDbContext db, MessagingAccounts accounts, HttpRequest http,
        Microsoft.Extensions.Options.IOptions<Infrastructure.Hosting.ChorusOptions> options, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await GetAsync(current, db, accounts, options.Value.BaseUrlFor(http), clock, ct));

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandlePutAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, MessagingAccounts accounts, MessagingSettingsCache cache, HttpRequest http,
        Microsoft.Extensions.Options.IOptions<Infrastructure.Hosting.ChorusOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await UpdateAsync(request, user.AsAuditActor(), current, db, accounts, cache, options.Value.BaseUrlFor(http), clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$")]
    private static partial Regex ServiceSidPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164Pattern();

    [GeneratedRegex(@"https?://|www\.|\.(com|org|net|us|ly|co)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();
}
