using System.Diagnostics;
using Chorus.Features.Organizations;
using Microsoft.Data.Sqlite;

namespace Chorus.IntegrationTests.Platform;

/// <summary>The verbs of the real executable, run as a separate process against a throwaway SQLite file.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chorus-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Create_org_prints_the_slug_and_create_user_and_create_token_give_a_working_member()
    {
        var org = await RunAsync("admin", "create-org", "--name", "Friends of Ana", "--owner-email", "ana@example.org", "--owner-password", "a long password 1");
        var user = await RunAsync("admin", "create-user", "--org", "friends-of-ana", "--email", "tex@example.org", "--password", "a long password 2", "--role", "Texter");
        var token = await RunAsync("admin", "create-token", "--email", "tex@example.org", "--name", "script");

        Assert.Equal((0, "friends-of-ana"), (org.ExitCode, org.Output));
        Assert.Equal(0, user.ExitCode);
        Assert.Equal(0, token.ExitCode);
        Assert.StartsWith("chorus_", token.Output, StringComparison.Ordinal);
        Assert.Equal(nameof(OrgRole.Texter), Scalar("SELECT m.Role FROM Memberships m JOIN Users u ON u.Id = m.UserId WHERE u.Email = 'tex@example.org'"));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM ApiTokens"));
    }

    [Theory]
    [InlineData("admin", "create-org", "--name", "No Owner")]
    [InlineData("admin", "create-user", "--org", "nope", "--email", "x@example.org", "--password", "a long password", "--role", "Texter")]
    [InlineData("admin", "create-user", "--org", "nope", "--email", "x@example.org", "--password", "a long password", "--role", "Emperor")]
    [InlineData("admin", "create-token", "--email", "nobody@example.org")]
    [InlineData("admin", "create-org", "--name", "X", "--owner-email", "not-an-email", "--owner-password", "a long password")]
    [InlineData("admin", "create-org", "--name", "X", "--owner-email", "o@example.org", "--owner-password", "short")]
    [InlineData("admin", "frobnicate")]
    [InlineData("migrate", "--bogus")]
    public async Task Bad_arguments_answer_one_line_and_a_nonzero_exit_and_write_nothing(params string[] args)
    {
        var result = await RunAsync(args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("chorus: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(0L, File.Exists(DatabaseFile) ? Scalar("SELECT (SELECT COUNT(*) FROM Users) + (SELECT COUNT(*) FROM Organizations)") : 0L);
    }

    [Fact]
    public async Task Every_verb_has_help()
    {
        foreach (var verb in new[] { new[] { "--help" }, ["migrate", "--help"], ["demo", "--help"], ["admin", "create-org", "--help"], ["admin", "create-user", "--help"], ["admin", "create-token", "--help"] })
        {
            var result = await RunAsync(verb);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Usage", result.Output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Migrate_brings_an_empty_database_up_to_date_and_is_idempotent()
    {
        var first = await RunAsync("migrate");
        var second = await RunAsync("migrate");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Applied", first.Output, StringComparison.Ordinal);
        Assert.Equal((0, "The database is up to date."), (second.ExitCode, second.Output));
    }

    private string DatabaseFile => Path.Combine(_folder, "chorus.db");

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ConnectionStrings__Chorus"] = $"Data Source={DatabaseFile}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, (await output).Trim(), (await error).Trim());
    }
}
