using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>One request the fake received: method, path and query, the Basic credentials, the body.</summary>
public sealed record FakeVanRequest(string Method, string PathAndQuery, string? User, string? Password, string Body);

/// <summary>A canvass response VAN accepted (204) for a person.</summary>
public sealed record FakeVanCanvassResponse(long VanId, JsonObject Body);

/// <summary>
/// NGP VAN API v4 (DOMAIN.md §5.1) on 127.0.0.1 and a free port, for the VAN integration to talk to over real HTTP.
/// It checks Basic auth (application name, <c>key|mode</c>), answers the lookups, people with phones, echoes, saved
/// lists and export jobs (whose <c>downloadUrl</c> it serves itself: a CSV of any size, generated as it streams),
/// validates canvass responses like VAN (a known contact type and input type, a phone of that person, and a result
/// code XOR responses — both is a 400 in VAN's error shape), records what it accepted, and fails on command.
/// </summary>
public sealed class FakeVan : IAsyncDisposable
{
    public const int SmsTextContactTypeId = 37;
    public const int ApiInputTypeId = 11;
    public const int DoNotTextResultCodeId = 130;
    public const int WrongNumberResultCodeId = 20;
    public const int SupportQuestionId = 501;
    public const int StrongSupportResponseId = 5011;
    public const int OpposeResponseId = 5012;
    public const int VolunteerActivistCodeId = 4321;

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<FakeVanRequest> _requests = [];
    private readonly List<FakeVanCanvassResponse> _responses = [];
    private readonly Queue<(int Status, string? PathContains)> _faults = new();
    private readonly Dictionary<long, List<(int PhoneId, string Number)>> _people = [];
    private readonly Dictionary<int, (string Name, int Rows)> _savedLists = [];
    private readonly Dictionary<int, (int SavedListId, int Polls)> _jobs = [];
    private int _nextPhoneId = 9000;
    private int _nextJobId = 700;

    private FakeVan()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public string ApplicationName { get; } = "chorus-tests";
    public string ApiKey { get; set; } = "c0ffee00-1111-2222-3333-444455556666";

    /// <summary>The mode the key is for: 1 (My Campaign) unless a test says 0.</summary>
    public int Mode { get; set; } = 1;

    /// <summary>How many looks at an export job answer "Pending" before it has its downloadUrl.</summary>
    public int ExportPendingPolls { get; set; } = 1;

    public string Root { get; private set; } = "";

    /// <summary>For <c>settings.baseUrl</c>.</summary>
    public string BaseUrl => Root + "/v4/";

    public IReadOnlyList<FakeVanRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<FakeVanCanvassResponse> CanvassResponses
    {
        get
        {
            lock (_gate)
            {
                return [.. _responses];
            }
        }
    }

    public static async Task<FakeVan> StartAsync()
    {
        var fake = new FakeVan();
        await fake._app.StartAsync();
        fake.Root = fake._app.Urls.Single().TrimEnd('/');
        return fake;
    }

    /// <summary>A person with these phones (ten digits, as VAN keeps them); their phone ids, in order.</summary>
    public List<int> AddPerson(long vanId, params string[] phones)
    {
        lock (_gate)
        {
            var list = phones.Select(p => (_nextPhoneId++, p)).ToList();
            _people[vanId] = list;
            return [.. list.Select(p => p.Item1)];
        }
    }

    public void AddSavedList(int savedListId, string name, int rows)
    {
        lock (_gate)
        {
            _savedLists[savedListId] = (name, rows);
        }
    }

    /// <summary>The next <paramref name="times"/> requests (whose path contains <paramref name="pathContains"/>, if given) get <paramref name="status"/>.</summary>
    public void Fail(int status, int times = 1, string? pathContains = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _faults.Enqueue((status, pathContains));
            }
        }
    }

    /// <summary>The CSV of a saved list: VanID, names, ZIP, cell and home phone; row i has VANID 100000+i and cell 212 456 0000 + i.</summary>
    public static string Row(int i) =>
        string.Create(CultureInfo.InvariantCulture, $"{100_000 + i},Voter{i},\"Last, {i}\",10001,{2124560000L + i},7185550{i % 1000:000}");

    public const string Header = "VanID,FirstName,LastName,Zip5,CellPhone,HomePhone";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var (user, password) = BasicCredentials(request.Headers.Authorization.ToString());
        (int Status, string? PathContains)? fault = null;
        lock (_gate)
        {
            _requests.Add(new FakeVanRequest(request.Method, path + request.QueryString, user, password, body));
            if (_faults.TryPeek(out var next) && (next.PathContains is null || path.Contains(next.PathContains, StringComparison.Ordinal)))
            {
                fault = _faults.Dequeue();
            }
        }

        // The export file lives on "VAN's storage": a signed link, no VAN credentials.
        if (path.StartsWith("/downloads/", StringComparison.Ordinal) && int.TryParse(path["/downloads/".Length..].Replace(".csv", "", StringComparison.Ordinal), out var downloadJob))
        {
            await DownloadAsync(context, downloadJob);
            return;
        }

        if (!path.StartsWith("/v4/", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 404, "NOT_FOUND", "The specified resource cannot be found.");
            return;
        }

        if (user != ApplicationName || password != $"{ApiKey}|{Mode}")
        {
            await ErrorAsync(context, 401, "UNAUTHORIZED", "Authorization has been denied for this request.");
            return;
        }

        if (fault is { } f)
        {
            if (f.Status == 429)
            {
                context.Response.Headers.RetryAfter = "1";
            }

            await ErrorAsync(context, f.Status, f.Status == 429 ? "TOO_MANY_REQUESTS" : "INTERNAL_SERVER_ERROR", f.Status == 429 ? "Rate limit exceeded." : "An unexpected error occurred.");
            return;
        }

        JsonNode? json = null;
        if (body.Length > 0)
        {
            if (!string.Equals(request.ContentType?.Split(';')[0], "application/json", StringComparison.OrdinalIgnoreCase))
            {
                await ErrorAsync(context, 415, "UNSUPPORTED_MEDIA_TYPE", "The request body must be application/json.");
                return;
            }

            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                await ErrorAsync(context, 400, "INVALID_PARAMETER", "The request body is not valid JSON.");
                return;
            }
        }

        var segments = path["/v4/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (request.Method, segments)
        {
            case ("POST", ["echoes"]):
                await context.Response.WriteAsJsonAsync(new JsonObject { ["message"] = json?["message"]?.ToString() });
                return;
            case ("GET", ["canvassResponses", "contactTypes"]):
                await context.Response.WriteAsJsonAsync(new JsonArray(
                    Named("contactTypeId", 1, "Phone"), Named("contactTypeId", 2, "Walk"), Named("contactTypeId", SmsTextContactTypeId, "SMS Text")));
                return;
            case ("GET", ["canvassResponses", "inputTypes"]):
                await context.Response.WriteAsJsonAsync(new JsonArray(Named("inputTypeId", 10, "Bulk"), Named("inputTypeId", ApiInputTypeId, "API")));
                return;
            case ("GET", ["canvassResponses", "resultCodes"]):
                await context.Response.WriteAsJsonAsync(new JsonArray(
                    Named("resultCodeId", 18, "Not Home"), Named("resultCodeId", WrongNumberResultCodeId, "Wrong Number"), Named("resultCodeId", DoNotTextResultCodeId, "Do Not Text")));
                return;
            case ("GET", ["surveyQuestions"]):
                var question = Named("surveyQuestionId", SupportQuestionId, "Candidate Support");
                question["scriptQuestion"] = "Will you support Ana?";
                question["responses"] = new JsonArray(Named("surveyResponseId", StrongSupportResponseId, "Strong Support"), Named("surveyResponseId", OpposeResponseId, "Oppose"));
                await context.Response.WriteAsJsonAsync(new JsonObject { ["items"] = new JsonArray(question), ["count"] = 1, ["nextPageLink"] = null });
                return;
            case ("GET", ["activistCodes"]):
                await context.Response.WriteAsJsonAsync(new JsonObject { ["items"] = new JsonArray(Named("activistCodeId", VolunteerActivistCodeId, "Volunteer")), ["count"] = 1, ["nextPageLink"] = null });
                return;
            case ("GET", ["people", var id]) when long.TryParse(id, out var vanId):
                await PersonAsync(context, vanId);
                return;
            case ("POST", ["people", var id, "canvassResponses"]) when long.TryParse(id, out var vanId):
                await CanvassResponseAsync(context, vanId, json as JsonObject);
                return;
            case ("GET", ["savedLists"]):
                JsonArray lists;
                lock (_gate)
                {
                    lists = [.. _savedLists.Select(l => (JsonNode)new JsonObject { ["savedListId"] = l.Key, ["name"] = l.Value.Name, ["description"] = null, ["listCount"] = l.Value.Rows, ["doorCount"] = l.Value.Rows })];
                }

                await context.Response.WriteAsJsonAsync(new JsonObject { ["items"] = lists, ["count"] = lists.Count, ["nextPageLink"] = null });
                return;
            case ("POST", ["exportJobs"]):
                await StartExportAsync(context, json as JsonObject);
                return;
            case ("GET", ["exportJobs", var jobText]) when int.TryParse(jobText, out var jobId):
                await ExportStatusAsync(context, jobId);
                return;
            default:
                await ErrorAsync(context, 404, "NOT_FOUND", "The specified resource cannot be found.");
                return;
        }
    }

    private async Task PersonAsync(HttpContext context, long vanId)
    {
        List<(int PhoneId, string Number)>? phones;
        lock (_gate)
        {
            _people.TryGetValue(vanId, out phones);
        }

        if (phones is null)
        {
            await ErrorAsync(context, 404, "NOT_FOUND", "The specified resource cannot be found.");
            return;
        }

        var expand = context.Request.Query["$expand"].ToString().Split(',').Contains("phones", StringComparer.OrdinalIgnoreCase);
        var person = new JsonObject { ["vanId"] = vanId, ["firstName"] = "Ana", ["lastName"] = "Voter" };
        if (expand)
        {
            person["phones"] = new JsonArray([.. phones.Select(p => (JsonNode)new JsonObject
            {
                ["phoneId"] = p.PhoneId, ["phoneNumber"] = p.Number, ["phoneType"] = "Cell", ["dialingPrefix"] = "1", ["isPreferred"] = p == phones[0],
            })]);
        }

        await context.Response.WriteAsJsonAsync(person);
    }

    // As VAN: the canvass context's types must exist, a phoneId must be one of the person's, and "if responses are
    // specified, resultCodeId must be null".
    private async Task CanvassResponseAsync(HttpContext context, long vanId, JsonObject? body)
    {
        List<(int PhoneId, string Number)>? phones;
        lock (_gate)
        {
            _people.TryGetValue(vanId, out phones);
        }

        if (phones is null)
        {
            await ErrorAsync(context, 404, "NOT_FOUND", "The specified resource cannot be found.");
            return;
        }

        var problem = Validate(body, phones);
        if (problem is not null)
        {
            await ErrorAsync(context, 400, "INVALID_PARAMETER", problem);
            return;
        }

        lock (_gate)
        {
            _responses.Add(new FakeVanCanvassResponse(vanId, (JsonObject)body!.DeepClone()));
        }

        context.Response.StatusCode = 204;
    }

    private static string? Validate(JsonObject? body, List<(int PhoneId, string Number)> phones)
    {
        if (body?["canvassContext"] is not JsonObject canvass)
        {
            return "canvassContext is required.";
        }

        if (Int(canvass["contactTypeId"]) is not (1 or 2 or SmsTextContactTypeId))
        {
            return "canvassContext.contactTypeId is not a valid contact type.";
        }

        if (Int(canvass["inputTypeId"]) is not (10 or ApiInputTypeId))
        {
            return "canvassContext.inputTypeId is not a valid input type.";
        }

        if (canvass["dateCanvassed"]?.ToString() is not { } date || !DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, out _))
        {
            return "canvassContext.dateCanvassed must be an ISO 8601 date.";
        }

        if (canvass["phoneId"] is { } phoneId && phones.All(p => p.PhoneId != Int(phoneId)))
        {
            return "canvassContext.phoneId is not a phone of this person.";
        }

        var hasResult = body["resultCodeId"] is not null;
        var responses = body["responses"] as JsonArray;
        if (hasResult && responses is { Count: > 0 })
        {
            return "If responses are specified, resultCodeId must be null.";
        }

        if (!hasResult && responses is not { Count: > 0 })
        {
            return "Either resultCodeId or responses is required.";
        }

        if (hasResult && Int(body["resultCodeId"]) is not (18 or WrongNumberResultCodeId or DoNotTextResultCodeId))
        {
            return "resultCodeId is not a valid result code.";
        }

        foreach (var response in responses?.OfType<JsonObject>() ?? [])
        {
            var valid = response["type"]?.ToString() switch
            {
                "SurveyResponse" => Int(response["surveyQuestionId"]) == SupportQuestionId && Int(response["surveyResponseId"]) is StrongSupportResponseId or OpposeResponseId,
                "ActivistCode" => Int(response["activistCodeId"]) == VolunteerActivistCodeId && response["action"]?.ToString() is "Apply" or "Remove",
                _ => false,
            };
            if (!valid)
            {
                return $"responses: {response.ToJsonString()} is not a valid response.";
            }
        }

        return null;
    }

    private async Task StartExportAsync(HttpContext context, JsonObject? body)
    {
        var savedListId = Int(body?["savedListId"]);
        int jobId;
        lock (_gate)
        {
            if (savedListId is null || !_savedLists.ContainsKey(savedListId.Value))
            {
                jobId = 0;
            }
            else
            {
                jobId = _nextJobId++;
                _jobs[jobId] = (savedListId.Value, 0);
            }
        }

        if (jobId == 0 || Int(body?["type"]) is null)
        {
            await ErrorAsync(context, 400, "INVALID_PARAMETER", "savedListId and type are required and must exist.");
            return;
        }

        context.Response.StatusCode = 201;
        await context.Response.WriteAsJsonAsync(Job(jobId, savedListId!.Value, ready: false));
    }

    private async Task ExportStatusAsync(HttpContext context, int jobId)
    {
        bool ready;
        int savedListId;
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job))
            {
                savedListId = 0;
                ready = false;
            }
            else
            {
                savedListId = job.SavedListId;
                ready = job.Polls >= ExportPendingPolls;
                _jobs[jobId] = (job.SavedListId, job.Polls + 1);
            }
        }

        if (savedListId == 0)
        {
            await ErrorAsync(context, 404, "NOT_FOUND", "The specified resource cannot be found.");
            return;
        }

        await context.Response.WriteAsJsonAsync(Job(jobId, savedListId, ready));
    }

    private JsonObject Job(int jobId, int savedListId, bool ready) => new()
    {
        ["exportJobId"] = jobId,
        ["savedListId"] = savedListId,
        ["type"] = 8,
        ["status"] = ready ? "Completed" : "Pending",
        ["downloadUrl"] = ready ? $"{Root}/downloads/{jobId}.csv" : null,
        ["errorCode"] = null,
        ["webhookUrl"] = null,
    };

    private async Task DownloadAsync(HttpContext context, int jobId)
    {
        int rows;
        lock (_gate)
        {
            rows = _jobs.TryGetValue(jobId, out var job) && _savedLists.TryGetValue(job.SavedListId, out var list) ? list.Rows : -1;
        }

        if (rows < 0)
        {
            context.Response.StatusCode = 404;
            return;
        }

        // Generated as it goes out: the fake never holds the file either.
        context.Response.ContentType = "text/csv";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteAsync(Header + "\r\n");
        for (var i = 0; i < rows; i++)
        {
            await writer.WriteAsync(Row(i) + "\r\n");
        }
    }

    private static JsonObject Named(string idName, int id, string name) => new() { [idName] = id, ["name"] = name, ["mediumName"] = name.Length > 9 ? name[..9] : name };

    private static int? Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static Task ErrorAsync(HttpContext context, int status, string code, string text)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["text"] = text }) });
    }

    private static (string? User, string? Password) BasicCredentials(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (null, null);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (decoded, null) : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }
}
