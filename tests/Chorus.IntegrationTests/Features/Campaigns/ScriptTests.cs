using System.Net;
using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Campaigns.CampaignApi;

namespace Chorus.IntegrationTests.Features.Campaigns;

public sealed class ScriptTests
{
    [Theory, BothDatabases]
    public async Task Every_question_gets_a_step_id_that_survives_later_saves(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);
        var first = await (await PutScriptAsync(org, campaign.Id, ValidScript())).ReadAsync<SaveScript.View>(HttpStatusCode.OK);

        var second = await (await PutScriptAsync(org, campaign.Id, new
        {
            initialMessage = "Hi from {orgName}! Reply STOP to opt out",
            question = new
            {
                id = first.Question!.Id,
                text = "Will they vote? (edited)",
                answers = new object[]
                {
                    new { value = "Yes", message = "Great!", question = new { text = "Need a ride?", answers = new[] { new { value = "Yes", message = "We'll call." } } } },
                },
            },
        })).ReadAsync<SaveScript.View>(HttpStatusCode.OK);

        Assert.Equal(first.Question.Id, second.Question!.Id);
        Assert.NotEqual(Guid.Empty, second.Question.Answers[0].Question!.Id);
        Assert.Equal("Will they vote? (edited)", second.Question.Text);
    }

    [Theory, BothDatabases]
    public async Task Template_errors_come_back_with_their_place_and_nothing_is_saved(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);

        var response = await PutScriptAsync(org, campaign.Id, new
        {
            initialMessage = "Hi {fristName}, it's {orgName",
            question = new { text = "", answers = new[] { new { value = "Yes", message = "Thanks {nope}" } } },
        });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        var problems = problem.GetProperty("problems").EnumerateArray().ToList();
        Assert.Contains(problems, p => p.GetProperty("field").GetString() == "initialMessage" && p.GetProperty("message").GetString()!.Contains("firstName", StringComparison.Ordinal) && p.GetProperty("column").GetInt32() == 4);
        Assert.Contains(problems, p => p.GetProperty("field").GetString() == "question.text");
        Assert.Contains(problems, p => p.GetProperty("field").GetString() == "question.answers[0].message");
        Assert.True(problems.Count >= 4);
        Assert.Equal("", await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().Where(c => c.Id == campaign.Id).Select(c => c.InitialMessage).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task Empty_scripts_questions_without_answers_duplicate_answers_and_repeated_steps_are_refused(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);
        var step = Guid.NewGuid();

        var empty = await PutScriptAsync(org, campaign.Id, new { initialMessage = "   " });
        var noAnswers = await PutScriptAsync(org, campaign.Id, new { initialMessage = "Hi from {orgName}", question = new { text = "Q?", answers = Array.Empty<object>() } });
        var duplicateAnswers = await PutScriptAsync(org, campaign.Id, new { initialMessage = "Hi from {orgName}", question = new { text = "Q?", answers = new[] { new { value = "Yes", message = "" }, new { value = "yes", message = "" } } } });
        var repeatedStep = await PutScriptAsync(org, campaign.Id, new
        {
            initialMessage = "Hi from {orgName}",
            question = new { id = step, text = "Q?", answers = new[] { new { value = "Yes", message = "", question = new { id = step, text = "Again?", answers = new[] { new { value = "Yes", message = "" } } } } } },
        });

        await empty.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await noAnswers.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await duplicateAnswers.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await repeatedStep.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Theory, BothDatabases]
    public async Task Saving_warns_when_the_organization_is_not_named_and_launch_then_requires_it(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Smith for Senate");
        var campaign = await CreateAsync(org);

        var anonymous = await (await PutScriptAsync(org, campaign.Id, new { initialMessage = "Hi {firstName|there}, can we count on you?" })).ReadAsync<SaveScript.View>(HttpStatusCode.OK);
        var named = await (await PutScriptAsync(org, campaign.Id, new { initialMessage = "Hi {firstName|there}, it's Smith for Senate. Can we count on you?" })).ReadAsync<SaveScript.View>(HttpStatusCode.OK);

        Assert.Contains("Smith for Senate", Assert.Single(anonymous.Warnings), StringComparison.Ordinal);
        Assert.Empty(named.Warnings);
    }

    [Theory, BothDatabases]
    public async Task A_texter_cannot_edit_a_script(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, Chorus.Features.Organizations.OrgRole.Texter);
        var campaign = await CreateAsync(org);

        var response = await texter.Client.PutAsync(CampaignsUri(org, $"/{campaign.Id}/script"), System.Net.Http.Json.JsonContent.Create(ValidScript()), TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }
}
