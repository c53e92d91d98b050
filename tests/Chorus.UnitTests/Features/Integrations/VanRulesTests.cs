using System.Text;
using System.Text.Json;
using Chorus.Features.Integrations;
using Chorus.Features.Integrations.Van;

namespace Chorus.UnitTests.Features.Integrations;

public sealed class VanRulesTests
{
    private static readonly DateTime When = new(2026, 11, 3, 15, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_result_code_goes_alone_and_responses_go_without_a_result_code()
    {
        var optOut = VanHandler.CanvassResponse(new VanHandler.Push(VanHandler.Push.Result, 1, "+12124560000", When, ResultCode: "Do Not Text"), 37, 11, 130, 9001);
        var survey = VanHandler.CanvassResponse(new VanHandler.Push(VanHandler.Push.Survey, 1, "+12124560000", When, 501, 5011), 37, 11, null, null);

        Assert.Equal(
            """{"canvassContext":{"contactTypeId":37,"inputTypeId":11,"dateCanvassed":"2026-11-03T15:00:00Z","phoneId":9001},"resultCodeId":130}""",
            optOut.ToJsonString());
        Assert.Equal(
            """{"canvassContext":{"contactTypeId":37,"inputTypeId":11,"dateCanvassed":"2026-11-03T15:00:00Z","phone":{"dialingPrefix":"1","phoneNumber":"2124560000"}},"responses":[{"type":"SurveyResponse","surveyQuestionId":501,"surveyResponseId":5011}]}""",
            survey.ToJsonString());
    }

    [Theory]
    [InlineData("+12124560000", null, "12124560000")]
    [InlineData("2124560000", "1", "12124560000")]
    [InlineData("2124560000", null, "12124560000")]
    [InlineData("12124560000", "1", "12124560000")]
    [InlineData("(212) 456-0000", "1", "12124560000")]
    [InlineData("+44 20 7946 0000", null, "442079460000")]
    public void VAN_phone_numbers_and_E164_numbers_compare_as_international_digits(string number, string? prefix, string digits) =>
        Assert.Equal(digits, VanCache.Digits(number, prefix));

    [Fact]
    public void Settings_default_to_VANs_usual_names_and_need_a_mode()
    {
        var (settings, problems) = VanSettings.Parse(JsonDocument.Parse("""{"mode": "MyVoters"}""").RootElement);

        Assert.Empty(problems);
        Assert.Equal((0, "SMS Text", "API", "Do Not Text", "Wrong Number", "Wrong number", 8),
            (settings.ModeDigit, settings.ContactType, settings.InputType, settings.DoNotTextResultCode, settings.WrongNumberResultCode, settings.WrongNumberTag, settings.ExportJobTypeId));
        Assert.Equal(new Uri(VanSettings.DefaultBaseUrl), settings.BaseUrl);
        Assert.Equal("settings.mode", Assert.Single(VanSettings.Parse(JsonDocument.Parse("{}").RootElement).Problems).Field);
    }

    [Fact]
    public void A_mapping_reads_answers_in_any_case_and_a_base_url_gets_its_trailing_slash()
    {
        var stepId = Guid.CreateVersion7();
        var (settings, problems) = VanSettings.Parse(JsonDocument.Parse(
            """{"mode":"MyCampaign","baseUrl":"http://127.0.0.1:5000/v4","surveyQuestions":{"STEP":{"surveyQuestionId":501,"responses":{"Yes":5011}}},"activistCodes":{"Volunteer":4321}}"""
                .Replace("STEP", stepId.ToString(), StringComparison.Ordinal)).RootElement);

        Assert.Empty(problems);
        Assert.Equal("http://127.0.0.1:5000/v4/", settings.BaseUrl.AbsoluteUri);
        Assert.Equal(5011, settings.SurveyQuestions[stepId].Responses["yes"]);
        Assert.Equal(4321, settings.ActivistCodes["VOLUNTEER"]);
    }

    [Fact]
    public async Task A_VAN_export_maps_its_VANID_cell_phone_names_and_zip_and_the_whole_file_is_still_read()
    {
        const string csv = "\uFEFFVanID,LastName,FirstName,Zip5,Phone,CellPhone,Ward\r\n1,Doe,Ana,10001,2125550000,2124560000,5\r\n";
        using var source = new MemoryStream(Encoding.UTF8.GetBytes(csv));

        var (mapping, file) = await VanListImport.MappingAsync(source, TestContext.Current.CancellationToken);

        Assert.Equal("""{"VanID":"externalId","CellPhone":"phone","FirstName":"firstName","LastName":"lastName","Zip5":"zip"}""", mapping);
        using var reader = new StreamReader(file, Encoding.UTF8);
        Assert.Equal(csv.TrimStart('\uFEFF'), await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void VANs_error_text_is_what_admins_see_and_429_and_401_mean_later_and_unauthorized()
    {
        const string body = """{"errors":[{"code":"UNAUTHORIZED","text":"Authorization has been denied for this request."}]}""";

        var refused = new VanAnswer(401, "Unauthorized", body).ToResult();
        var busy = new VanAnswer(429, "Too Many Requests", body, TimeSpan.FromMinutes(2)).ToResult();
        var accepted = new VanAnswer(204, "No Content", "").ToResult();

        Assert.Equal((DeliveryOutcome.Unauthorized, "VAN refused the credentials (401): Authorization has been denied for this request. (UNAUTHORIZED)"), (refused.Outcome, refused.Error));
        Assert.Equal((DeliveryOutcome.Transient, TimeSpan.FromMinutes(2)), (busy.Outcome, busy.RetryAfter));
        Assert.Equal((DeliveryOutcome.Succeeded, "204 No Content"), (accepted.Outcome, accepted.Response));
    }
}
