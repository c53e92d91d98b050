using System.Net;
using System.Text.RegularExpressions;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Chorus.IntegrationTests.Features.Accounts;

/// <summary>The real login form, posted as a browser would (antiforgery token and all).</summary>
public sealed partial class LoginLockoutTests
{
    private static async Task<HttpResponseMessage> LogInAsync(HttpClient browser, string email, string password)
    {
        var page = await browser.GetStringAsync(new Uri("/account/login", UriKind.Relative), TestContext.Current.CancellationToken);
        var fields = HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var form = new FormUrlEncodedContent(fields);
        return await browser.PostAsync(new Uri("/account/login", UriKind.Relative), form, TestContext.Current.CancellationToken);
    }

    [Theory, BothDatabases]
    public async Task Five_wrong_passwords_lock_the_account_for_15_minutes_even_against_the_right_password(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var user = await app.Seed.UserAsync();
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var wrong = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            wrong.Add(await LogInAsync(browser, user.Email, "not the password"));
        }

        var rightButLocked = await LogInAsync(browser, user.Email, user.Password);
        // Identity stamps the lockout with the system clock, not the injected one, so the end is checked against it.
        var lockoutEnd = await app.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync());
        var untilUnlocked = lockoutEnd!.Value - TimeProvider.System.GetUtcNow();

        Assert.Contains("Email or password is incorrect", await wrong[0].Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rightButLocked.StatusCode);
        Assert.Contains("Too many failed attempts", await rightButLocked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.InRange(untilUnlocked, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.False(rightButLocked.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("chorus.auth=", StringComparison.Ordinal)));
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
