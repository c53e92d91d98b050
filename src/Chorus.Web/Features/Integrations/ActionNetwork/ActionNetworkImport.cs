using System.Text;
using System.Text.Json;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Uploads;
using Chorus.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Integrations.ActionNetwork;

public sealed class ActionNetworkOptions
{
    public const string Section = "Chorus:ActionNetwork";

    /// <summary>The pause after each call of an import (Action Network allows about 4 calls a second per key).</summary>
    public TimeSpan MinRequestInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>An import's first wait after a 429/5xx (doubling, at most a minute, or Action Network's Retry-After).</summary>
    public TimeSpan ImportRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts per call of an import before the run fails (nothing is imported then).</summary>
    public int ImportAttempts { get; set; } = 5;
}

/// <summary>
/// "action-network.import": reads everyone with a tag (<c>tags/{id}/taggings</c>) or on a list (<c>lists/{id}/items</c>),
/// page by page through <c>_links.next</c>, fetches each person (or takes the person embedded in the item), and writes
/// them as a CSV (first name, last name, phone, ZIP, Action Network id as the external id) into a temporary file. Only
/// when the whole tag or list was read is the file handed to the same importer as uploads
/// (<see cref="StartContactImport"/>), so a failure half-way imports nobody, and phoneless people, bad numbers,
/// duplicates and opted-out numbers are counted by the importer's usual rules. The run's result is the import's id.
/// </summary>
public sealed class ActionNetworkImportRunner(IHttpClientFactory clients) : IIntegrationRunner
{
    public const string Kind = "action-network.import";
    private const string MappingJson = """{"first_name":"firstName","last_name":"lastName","phone":"phone","zip":"zip","action_network_id":"externalId"}""";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Parameters(string? TagId, string? ListId, Guid CampaignId);

    public string RunKind => Kind;

    public async Task RunAsync(IntegrationContext integration, SyncRun run, IServiceProvider services, CancellationToken ct)
    {
        var parameters = JsonSerializer.Deserialize<Parameters>(run.Parameters, Json) ?? throw new InvalidOperationException("The run has no parameters.");
        var db = services.GetRequiredService<AppDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var options = services.GetRequiredService<IOptions<ActionNetworkOptions>>().Value;
        var settings = ActionNetworkSettings.From(integration.Settings);
        var client = new ActionNetworkClient(clients.CreateClient(ActionNetworkClient.HttpClientName), settings.BaseUrl, integration.Secret(ActionNetworkHandler.SecretApiKey) ?? "");
        var (what, collection, embedded) = parameters.TagId is { } tagId
            ? ($"tag {tagId}", $"tags/{Uri.EscapeDataString(tagId)}/taggings", "osdi:taggings")
            : ($"list {parameters.ListId}", $"lists/{Uri.EscapeDataString(parameters.ListId!)}/items", "osdi:items");

        var path = Path.Combine(Path.GetTempPath(), $"chorus-action-network-{run.Id:N}.csv");
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        long written = 0, unsubscribed = 0, unreadable = 0, pages = 0;
        await using (var csv = new StreamWriter(file, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
        {
            await csv.WriteLineAsync("first_name,last_name,phone,zip,action_network_id");
            Uri? next = new(settings.BaseUrl, collection);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (next is not null && seen.Add(next.AbsoluteUri))
            {
                var page = Check(integration, await PatientlyAsync(client, next, options, ct), what);
                pages++;
                foreach (var item in ActionNetworkClient.Embedded(page, embedded))
                {
                    run.Items++;
                    var person = ActionNetworkClient.Embedded(item, "osdi:person").FirstOrDefault();
                    if (person.ValueKind != JsonValueKind.Object)
                    {
                        var href = ActionNetworkClient.Link(item, "osdi:person");
                        var url = href is null ? null : client.Resolve(href) ?? (ActionNetworkClient.LastSegment(href) is { } id ? client.PersonUrl(id) : null);
                        if (url is null)
                        {
                            unreadable++;
                            continue;
                        }

                        var fetched = await PatientlyAsync(client, url, options, ct);
                        if (fetched.Failure is { Outcome: DeliveryOutcome.Permanent })
                        {
                            unreadable++; // deleted or merged since it was tagged
                            continue;
                        }

                        person = Check(integration, fetched, what);
                    }

                    var phone = Phone(person);
                    if (settings.SkipUnsubscribedPhones && string.Equals(phone.Status, "unsubscribed", StringComparison.OrdinalIgnoreCase))
                    {
                        unsubscribed++;
                        continue;
                    }

                    await csv.WriteLineAsync(string.Join(',', Field(Text(person, "given_name")), Field(Text(person, "family_name")), Field(phone.Number),
                        Field(PostalCode(person)), Field(ActionNetworkClient.ResourceId(person))));
                    written++;
                }

                run.HeartbeatUtc = clock.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(ct);
                var href2 = ActionNetworkClient.Link(page, "next");
                next = href2 is null ? null : client.Resolve(href2)
                    ?? throw new InvalidOperationException($"Action Network's next page ({href2}) is outside the configured API address {settings.BaseUrl}; it was not followed and nobody was imported.");
            }
        }

        file.Position = 0;
        var started = await StartContactImport.ExecuteAsync(parameters.CampaignId, file, $"action-network-{(parameters.TagId is null ? "list" : "tag")}.csv", MappingJson,
            run.CreatedByUserId, services.GetRequiredService<IOptions<ContactsOptions>>().Value.MaxUploadBytes, services.GetRequiredService<CurrentOrganization>(), db,
            services.GetRequiredService<ImportSignal>(), clock, ct);
        if (started.Failure is { } failure)
        {
            throw new InvalidOperationException($"Nobody was imported: {failure.Message} {string.Join(" ", failure.Problems?.Select(p => p.Message) ?? [])}".TrimEnd());
        }

        run.ResultId = started.Value;
        run.Succeeded = written;
        run.Failed = unreadable;
        run.Summary = DeliveryResult.Truncate(
            $"Read {run.Items:N0} people from Action Network {what} ({pages:N0} pages): {written:N0} went to import {started.Value}"
            + (unsubscribed > 0 ? $", {unsubscribed:N0} left out because their phone is unsubscribed in Action Network" : "")
            + (unreadable > 0 ? $", {unreadable:N0} could not be read (deleted or merged)" : "")
            + ". The import counts phoneless and invalid numbers as rejected.", SyncRun.MaxSummaryLength);
    }

    /// <summary>A GET that waits out 429/5xx (Retry-After, else a doubling delay) a few times; then the failure stands.</summary>
    private static async Task<AnAnswer<JsonElement>> PatientlyAsync(ActionNetworkClient client, Uri url, ActionNetworkOptions options, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            AnAnswer<JsonElement> answer;
            try
            {
                answer = await client.GetAsync(url, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                answer = DeliveryResult.Transient($"Action Network could not be reached: {ex.Message}");
            }

            if (options.MinRequestInterval > TimeSpan.Zero)
            {
                await Task.Delay(options.MinRequestInterval, ct);
            }

            if (answer.Failure is not { Outcome: DeliveryOutcome.Transient } transient || attempt >= options.ImportAttempts)
            {
                return answer;
            }

            var wait = transient.RetryAfter ?? options.ImportRetryDelay * Math.Pow(2, attempt - 1);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait, ct);
            }
        }
    }

    /// <summary>The answer, or the run fails with Action Network's message (refused keys also mark the integration unauthorized).</summary>
    private static JsonElement Check(IntegrationContext integration, AnAnswer<JsonElement> answer, string what)
    {
        if (answer.Failure is not { } failure)
        {
            return answer.Value;
        }

        if (failure.Outcome == DeliveryOutcome.Unauthorized)
        {
            integration.Integration.Health = IntegrationHealth.Unauthorized;
            integration.Integration.LastError = DeliveryResult.Truncate(failure.Error ?? "Action Network refused the API key.", Integration.MaxErrorLength);
        }

        throw new InvalidOperationException($"Reading {what} from Action Network failed, so nobody was imported: {failure.Error}");
    }

    private static (string? Number, string? Status) Phone(JsonElement person)
    {
        if (!person.TryGetProperty("phone_numbers", out var numbers) || numbers.ValueKind != JsonValueKind.Array)
        {
            return (null, null);
        }

        var withNumber = numbers.EnumerateArray().Where(n => Text(n, "number") is { Length: > 0 }).ToList();
        var chosen = withNumber.FirstOrDefault(n => n.TryGetProperty("primary", out var p) && p.ValueKind == JsonValueKind.True);
        chosen = chosen.ValueKind == JsonValueKind.Object ? chosen : withNumber.FirstOrDefault();
        if (chosen.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var number = Text(chosen, "number")!.Trim();
        // Action Network writes numbers as digits with the country code; the importer reads "+" numbers as international.
        return (number.Length == 11 && number[0] == '1' && number.All(char.IsAsciiDigit) ? "+" + number : number, Text(chosen, "status"));
    }

    private static string? PostalCode(JsonElement person)
    {
        if (!person.TryGetProperty("postal_addresses", out var addresses) || addresses.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var all = addresses.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object).ToList();
        var chosen = all.FirstOrDefault(a => a.TryGetProperty("primary", out var p) && p.ValueKind == JsonValueKind.True);
        return Text(chosen.ValueKind == JsonValueKind.Object ? chosen : all.FirstOrDefault(), "postal_code");
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>One CSV value: quoted when it needs to be; a leading =, +, -, @ is left as is (the importer reads it as text).</summary>
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var clean = value.Replace('\r', ' ').Replace('\n', ' ');
        return clean.AsSpan().IndexOfAny(",\"") >= 0 ? $"\"{clean.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : clean;
    }
}
