using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;

namespace Chorus.IntegrationTests.Features.Campaigns;

public sealed class PreviewTests
{
    private static Uri Preview(TestOrg org) => new($"/api/v1/orgs/{org.Slug}/messages/preview", UriKind.Relative);

    [Theory, BothDatabases]
    public async Task A_smart_quote_forces_ucs2_doubles_the_segments_and_names_its_replacement(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        const string curly = "Hi Ana, it’s Sam with Smith for Senate. Can we count on your vote Tuesday? Reply STOP to opt out";

        var preview = await (await texter.Client.PostAsJsonAsync(Preview(org), new { text = curly }, TestContext.Current.CancellationToken))
            .ReadAsync<PreviewMessage.Response>(HttpStatusCode.OK);
        var fixedPreview = await (await texter.Client.PostAsJsonAsync(Preview(org), new { text = curly.Replace('’', '\'') }, TestContext.Current.CancellationToken))
            .ReadAsync<PreviewMessage.Response>(HttpStatusCode.OK);

        Assert.Equal(("UCS-2", 2), (preview.Encoding, preview.Segments));
        Assert.Equal(("’", "'"), (Assert.Single(preview.NonGsmCharacters).Character, preview.NonGsmCharacters[0].Replacement));
        Assert.Equal(("GSM-7", 1), (fixedPreview.Encoding, fixedPreview.Segments));
        Assert.Equal(0.0158m, preview.EstimatedCost);
    }

    [Theory, BothDatabases]
    public async Task A_template_is_rendered_for_a_sample_contact_with_the_organizations_name_and_opt_out_language(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Vote Yes");

        var preview = await (await org.Owner.Client.PostAsJsonAsync(Preview(org), new
        {
            template = "Hi {firstName|friend}, it's {orgName}. Vote at {pollingPlace}!",
            contact = new Dictionary<string, string?> { ["firstName"] = "", ["pollingPlace"] = "{lastName} Elementary" },
            appendOptOutLanguage = true,
        }, TestContext.Current.CancellationToken)).ReadAsync<PreviewMessage.Response>(HttpStatusCode.OK);

        Assert.Equal("Hi friend, it's Vote Yes. Vote at {lastName} Elementary!\nReply STOP to opt out", preview.Text);
    }

    [Theory, BothDatabases]
    public async Task A_broken_template_answers_422_with_the_position(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var response = await org.Owner.Client.PostAsJsonAsync(Preview(org), new { template = "Hi {firstName" }, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, problem.GetProperty("problems")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Neither_or_both_of_text_and_template_is_a_bad_request()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        var org = await app.Seed.OrganizationAsync();

        var neither = await org.Owner.Client.PostAsJsonAsync(Preview(org), new { }, TestContext.Current.CancellationToken);
        var both = await org.Owner.Client.PostAsJsonAsync(Preview(org), new { text = "a", template = "b" }, TestContext.Current.CancellationToken);

        await neither.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await both.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
