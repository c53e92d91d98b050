using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Chorus.Features.Texting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chorus.Bench;

/// <summary>
/// `bench send-floor [--texters N] [--contacts M]`: what <see cref="SendBench"/>'s loop costs with nothing behind it. A
/// bare Kestrel app answers the same three paths with constant replies of the same types (no authentication, no
/// database, no dispatcher), and the same generator drives it in the same process. The difference to `bench send` is
/// the application's own cost per Send.
/// </summary>
internal static class SendFloorBench
{
    public static async Task RunAsync(string[] args, TextWriter output)
    {
        var texters = BenchProgram.Arg(args, "--texters", 100);
        var contacts = BenchProgram.Arg(args, "--contacts", 20_000);
        var perTexter = (contacts + texters - 1) / texters;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var campaignId = Guid.NewGuid();
        var served = new ConcurrentDictionary<Guid, int>();
        app.MapPost("/api/v1/orgs/{org}/campaigns/{id:guid}/assignments", (Guid id) => TypedResults.Ok(new Assignments.BatchResponse(Guid.NewGuid(), id, [])));
        app.MapGet("/api/v1/orgs/{org}/assignments/{assignmentId:guid}/next", (Guid assignmentId) =>
            served.AddOrUpdate(assignmentId, 1, (_, n) => n + 1) > perTexter
                ? Results.NoContent()
                : TypedResults.Ok(new SendInitialMessage.Next(Guid.NewGuid(), "Voter1", "", "+12125550123",
                    "Hi Voter1, it's Texter with the Rivera campaign. Can we count on your vote on Nov 3?", 86, "GSM-7", 1, true, null, null, perTexter, 0, perTexter, false)));
        app.MapPost("/api/v1/orgs/{org}/assignments/{assignmentId:guid}/contacts/{contactId:guid}/send", (SendInitialMessage.Request? request) =>
            TypedResults.Accepted((string?)null, new SendInitialMessage.Response(Guid.NewGuid())));
        await app.StartAsync();
        var baseAddress = new Uri(app.Urls.First());
        var org = new BenchOrganization(Guid.NewGuid(), "floor", Guid.NewGuid(), "", "");
        var tokens = Enumerable.Range(0, texters).Select(i => $"chorus_floor{i}").ToList();
        output.WriteLine($"Chorus send floor · {texters} texters · {perTexter * texters:N0} sends · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm}Z");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = texters };
        for (var round = 1; round <= 2; round++)
        {
            served.Clear();
            var latencies = new ConcurrentBag<double>();
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await SendBench.SendAllAsync(handler, baseAddress, org, campaignId, tokens, latencies, new SendBench.Counts());
            clock.Stop();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var sorted = latencies.Order().ToArray();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(round == 1 ? "warm-up" : "measured")}: {sorted.Length:N0} sends in {clock.Elapsed.TotalSeconds:F1} s = {sorted.Length / clock.Elapsed.TotalSeconds:N0}/s · send p50 {Percentiles.Of(sorted, 0.5)} ms p99 {Percentiles.Of(sorted, 0.99)} ms · CPU {cpu.TotalMilliseconds / Math.Max(1, sorted.Length):F3} ms/send (server + generator)"));
        }

        await app.StopAsync();
    }
}
