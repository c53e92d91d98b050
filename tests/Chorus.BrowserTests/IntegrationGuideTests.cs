using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Chorus.Features.Accounts;
using Chorus.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.BrowserTests;

/// <summary>
/// Runs every <c>```sh</c> block of docs/integrating.md, in order, against the real server with a real token, so the
/// guide cannot drift from the API. The blocks run in one <c>bash -euo pipefail</c> session because later examples use
/// the ids earlier ones extracted (<c>$CAMPAIGN</c>, <c>$IMPORT</c>); a marker after each block tells which one failed.
/// </summary>
public sealed partial class IntegrationGuideTests(ChorusServer server) : IClassFixture<ChorusServer>
{
    private const string Marker = "::guide-block-done ";

    [Fact]
    public async Task Every_shell_example_in_the_integration_guide_runs_against_a_real_server()
    {
        RequireTools("bash", "curl", "jq");
        var guide = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "integrating.md"), TestContext.Current.CancellationToken);
        var blocks = ShellBlock().Matches(guide).Select(m => m.Groups["body"].Value).ToList();
        var owner = await server.CreateUserAsync("sync@example.org", "Sync Service");
        var slug = await server.CreateOrganizationAsync("Riverside Dems", owner);
        var token = await CreateTokenAsync(owner);

        var (exitCode, stdout, stderr) = await RunAsync(blocks, new Dictionary<string, string>
        {
            ["CHORUS"] = server.BaseUrl,
            ["ORG"] = slug,
            ["TOKEN"] = token,
        });

        Assert.True(blocks.Count >= 12, $"Only {blocks.Count} sh blocks were found in docs/integrating.md.");
        Assert.Equal(CountOccurrences(guide, "```sh"), blocks.Count);
        var done = stderr.Split('\n').Count(l => l.StartsWith(Marker, StringComparison.Ordinal));
        Assert.True(exitCode == 0 && done == blocks.Count,
            $"Block {done + 1} of {blocks.Count} exited with {exitCode}:\n{(done < blocks.Count ? blocks[done] : "")}\n--- stdout (end) ---\n{Tail(stdout)}\n--- stderr (end) ---\n{Tail(stderr)}");
    }

    private async Task<string> CreateTokenAsync(AppUser owner)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var created = await CreateApiToken.ExecuteAsync(owner.Id, owner.Email!, "Integration guide", scope.ServiceProvider.GetRequiredService<AppDbContext>(),
            scope.ServiceProvider.GetRequiredService<TimeProvider>(), TestContext.Current.CancellationToken);
        return created.Value?.Token ?? throw new InvalidOperationException(created.Failure!.Message);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(List<string> blocks, Dictionary<string, string> variables)
    {
        var folder = Directory.CreateTempSubdirectory("chorus-guide-");
        try
        {
            var script = new StringBuilder();
            foreach (var (block, i) in blocks.Select((b, i) => (b, i)))
            {
                script.Append(block).Append(CultureInfo.InvariantCulture, $"echo '{Marker}{i + 1}' >&2\n");
            }

            var path = Path.Combine(folder.FullName, "guide.sh");
            await File.WriteAllTextAsync(path, script.ToString(), TestContext.Current.CancellationToken);
            var start = new ProcessStartInfo("bash", ["-euo", "pipefail", path])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (name, value) in variables)
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The guide's examples did not finish within 60 s. Output so far:\n{Tail(await stdout)}\n{Tail(await stderr)}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void RequireTools(params string[] tools)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        var missing = tools.Where(t => !path.Any(p => File.Exists(Path.Combine(p, t)))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The guide's examples need {string.Join(", ", missing)}. Install with: apt-get update && apt-get install -y {string.Join(' ', missing)}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Chorus.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Chorus.slnx above {AppContext.BaseDirectory}.");
    }

    private static int CountOccurrences(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];

    [GeneratedRegex(@"^```sh\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
