using System.Diagnostics;
using System.Globalization;
using Chorus.Features.Campaigns.Templates;

namespace Chorus.Bench;

// Micro-benchmark of the per-contact work of an initial send: render the script for one contact and count
// its segments. Single-threaded on purpose: the figure is per core. Target: at least 2 million contacts/s.
public static class RenderBench
{
    private const string Script =
        "Hi {firstName|there}, it's {texterFirstName} with {orgName}. Can we count on you to vote at {pollingPlace} " +
        "on Tuesday? Polls in {zip} are open 7am-7pm. Reply STOP to opt out.";

    private static readonly string?[] FirstNames =
    [
        "Ana", "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "William", "Elizabeth",
        "José", "María", "Luis", "Carmen", "Jürgen", "Zoë", "Ramón", "Siobhán", "François", "Nguyễn", "Łukasz",
        "O'Brien", "Mia 🌸", "Dee ✨", "김민준", "Aaliyah", "DeShawn", "Precious", "Xochitl", null, "", " ",
    ];

    private static readonly string[] PollingPlaces =
    [
        "Lincoln Elementary, 123 Main St", "First Baptist Church", "Fire Station 7", "the Public Library on Elm Ave",
        "Roosevelt High School gym", "Community Center, 45 Oak Rd", "St. Mary's Parish Hall", "City Hall Annex",
    ];

    private static readonly string[] Texters = ["Sam", "Jordan", "Alex", "Priya", "Chen"];

    public static void Run(TextWriter output, int contacts = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contacts);

        var parsed = MessageTemplate.Parse(Script, ["pollingPlace"]);
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException(string.Join("; ", parsed.Errors.Select(e => e.Message)));
        }

        var template = parsed.Template;
        var values = GenerateContacts(template, contacts);
        var fields = template.Fields.Count;

        // Settle the setup's objects in gen 2 first: otherwise the first timed collections rescan the freshly
        // written million-contact array, a cost of this harness that a real send batch doesn't have.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Render + segment count · {contacts:N0} contacts · {fields} merge fields · 1 thread · .NET {Environment.Version}"));

        // Warm-up: lets tiered JIT promote the hot loops before the timed pass.
        Measure(template, values, fields, Math.Min(contacts, 200_000), toString: true);
        Measure(template, values, fields, Math.Min(contacts, 200_000), toString: false);

        Report(output, "render to string + count", Measure(template, values, fields, contacts, toString: true), contacts);
        Report(output, "render into a reused buffer + count", Measure(template, values, fields, contacts, toString: false), contacts);
    }

    private static Result Measure(MessageTemplate template, string?[] values, int fields, int contacts, bool toString)
    {
        var buffer = new char[4096];
        long segments = 0;
        var ucs2 = 0;
        var cpuBefore = ProcessorTime();
        var pausedBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = GC.CollectionCount(0);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < contacts; i++)
        {
            var contact = values.AsSpan(i * fields, fields);
            SegmentCount count;
            if (toString)
            {
                count = SegmentCounter.Count(template.Render(contact));
            }
            else
            {
                template.TryRender(contact, buffer, out var written);
                count = SegmentCounter.Count(buffer.AsSpan(0, written));
            }

            segments += count.Segments;
            ucs2 += count.Encoding == SmsEncoding.Ucs2 ? 1 : 0;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var gc = new GcWork(GC.CollectionCount(0) - collectionsBefore, GC.GetTotalPauseDuration() - pausedBefore);
        return new Result(elapsed, ProcessorTime() - cpuBefore, allocated, gc, segments, ucs2);
    }

    // Wall time is the figure that counts, but on a shared machine CPU time shows what the loop itself costs.
    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static void Report(TextWriter output, string name, Result result, int contacts)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-38} {contacts / result.Elapsed.TotalSeconds,12:N0} contacts/s  {result.Elapsed.TotalNanoseconds / contacts,7:F1} ns/contact  " +
            $"{(double)result.AllocatedBytes / contacts,7:F1} B/contact  (process CPU {result.ProcessorTime.TotalNanoseconds / contacts:F1} ns/contact, " +
            $"{result.Gc.Collections} gen0 GCs pausing {result.Gc.Paused.TotalMilliseconds:F0} ms; " +
            $"{(double)result.Segments / contacts:F2} segments/contact, {100.0 * result.Ucs2 / contacts:F1}% UCS-2)"));
    }

    // One flat array, contact i's values at [i * fields, (i + 1) * fields): the layout a send batch would
    // build from its query, and no per-contact object for the loop to chase.
    private static string?[] GenerateContacts(MessageTemplate template, int contacts)
    {
        var random = new Random(2024);
        var zips = Enumerable.Range(0, 1_000).Select(_ => random.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture)).ToArray();
        var fields = template.Fields.Count;
        var values = new string?[contacts * fields];
        for (var i = 0; i < contacts; i++)
        {
            var contact = values.AsSpan(i * fields, fields);
            contact[template.IndexOf(MergeFields.FirstName)] = FirstNames[random.Next(FirstNames.Length)];
            contact[template.IndexOf(MergeFields.TexterFirstName)] = Texters[random.Next(Texters.Length)];
            contact[template.IndexOf(MergeFields.OrgName)] = "Smith for Senate";
            contact[template.IndexOf("pollingPlace")] = PollingPlaces[random.Next(PollingPlaces.Length)];
            contact[template.IndexOf(MergeFields.Zip)] = zips[random.Next(zips.Length)];
        }

        return values;
    }

    private sealed record Result(TimeSpan Elapsed, TimeSpan ProcessorTime, long AllocatedBytes, GcWork Gc, long Segments, int Ucs2);

    private sealed record GcWork(int Collections, TimeSpan Paused);
}
