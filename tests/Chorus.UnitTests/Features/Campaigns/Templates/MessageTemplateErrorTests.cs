using Chorus.Features.Campaigns.Templates;

namespace Chorus.UnitTests.Features.Campaigns.Templates;

public sealed class MessageTemplateErrorTests
{
    private static readonly string[] CampaignFields = ["pollingPlace", "precinct"];

    [Fact]
    public void An_unknown_field_close_to_a_known_one_suggests_it()
    {
        var error = SingleError("Hi {fristName}!");

        Assert.Equal(new TemplateError(3, 1, 4, 11, "Unknown merge field {fristName} at line 1, column 4. Did you mean {firstName}?", TemplateErrorKind.UnknownField), error);
    }

    [Theory]
    [InlineData("{first_name}", "firstName")]
    [InlineData("{lastname|x}", null)]
    [InlineData("{pollingPlac}", "pollingPlace")]
    [InlineData("{first}", "firstName")]
    [InlineData("{zipCode}", "zip")]
    [InlineData("{texterName}", "texterFirstName")]
    [InlineData("{fname}", "firstName")]
    public void Suggests_the_closest_known_field(string text, string? suggestion)
    {
        var result = MessageTemplate.Parse(text, CampaignFields);

        if (suggestion is null)
        {
            Assert.True(result.IsValid);
        }
        else
        {
            var error = Assert.Single(result.Errors);
            Assert.Equal(TemplateErrorKind.UnknownField, error.Kind);
            Assert.EndsWith($"Did you mean {{{suggestion}}}?", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_unknown_field_far_from_any_known_one_lists_the_known_fields()
    {
        var error = SingleError("Hi {favoriteColor}");

        Assert.Equal(TemplateErrorKind.UnknownField, error.Kind);
        Assert.Equal("Unknown merge field {favoriteColor} at line 1, column 4. Known fields: firstName, lastName, zip, texterFirstName, orgName, pollingPlace, precinct.", error.Message);
    }

    [Fact]
    public void A_custom_field_is_unknown_to_a_campaign_that_does_not_define_it()
    {
        var result = MessageTemplate.Parse("Vote at {pollingPlace}");

        Assert.Equal(TemplateErrorKind.UnknownField, Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public void A_brace_left_open_at_the_end_is_reported_at_the_brace()
    {
        var error = SingleError("Hi {firstName");

        Assert.Equal(new TemplateError(3, 1, 4, 1, "Unclosed { at line 1, column 4: end the merge field with } on the same line, or write {{ for a literal brace.", TemplateErrorKind.UnclosedBrace), error);
    }

    [Fact]
    public void A_brace_left_open_before_the_next_tag_is_reported_and_the_next_tag_still_parses()
    {
        var result = MessageTemplate.Parse("Hi {firstName, meet {fristName}");

        Assert.Equal([(TemplateErrorKind.UnclosedBrace, 3), (TemplateErrorKind.UnknownField, 20)], result.Errors.Select(e => (e.Kind, e.Index)));
    }

    [Fact]
    public void A_tag_may_not_span_lines()
    {
        var result = MessageTemplate.Parse("Hi {firstName\n}");

        Assert.Equal([TemplateErrorKind.UnclosedBrace, TemplateErrorKind.StrayClosingBrace], result.Errors.Select(e => e.Kind));
    }

    [Fact]
    public void A_stray_closing_brace_is_reported_with_the_escape_to_use()
    {
        var error = SingleError("Hi {firstName}} there");

        Assert.Equal(new TemplateError(14, 1, 15, 1, "Unexpected } at line 1, column 15: write }} for a literal brace.", TemplateErrorKind.StrayClosingBrace), error);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{|friend}")]
    [InlineData("{?}x{/}")]
    public void An_empty_field_name_is_reported(string text)
    {
        var result = MessageTemplate.Parse(text);

        Assert.All(result.Errors, e => Assert.Equal(TemplateErrorKind.EmptyFieldName, e.Kind));
        Assert.Equal(0, result.Errors[0].Index);
    }

    [Theory]
    [InlineData("{first name}", "Merge field {first name} at line 1, column 1 has a space in its name: names use only letters, digits and _.")]
    [InlineData("{ firstName }", "Merge field { firstName } at line 1, column 1 must start with a letter.")]
    [InlineData("{first-name}", "Merge field {first-name} at line 1, column 1 has '-' in its name: names use only letters, digits and _.")]
    [InlineData("{1stName}", "Merge field {1stName} at line 1, column 1 must start with a letter.")]
    [InlineData("{_zip}", "Merge field {_zip} at line 1, column 1 must start with a letter.")]
    [InlineData("{prénom}", "Merge field {prénom} at line 1, column 1 has 'é' in its name: names use only letters, digits and _.")]
    public void A_name_with_characters_other_than_ascii_letters_digits_and_underscore_is_invalid(string text, string message)
    {
        var error = SingleError(text);

        Assert.Equal(TemplateErrorKind.InvalidFieldName, error.Kind);
        Assert.Equal(text.Length, error.Length);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("{firstName|a|b}", '|')]
    [InlineData("{firstName|{lastName}}", '{')]
    public void A_fallback_may_not_contain_braces_or_pipes(string text, char forbidden)
    {
        var error = SingleError(text);

        Assert.Equal(TemplateErrorKind.InvalidFallback, error.Kind);
        Assert.Equal(0, error.Index);
        Assert.Equal(text.Length, error.Length);
        Assert.Equal($"The fallback in {text} at line 1, column 1 contains '{forbidden}': fallbacks can't contain {{, }} or |.", error.Message);
    }

    [Fact]
    public void A_conditional_may_not_have_a_fallback()
    {
        var error = SingleError("{?pollingPlace|none}x{/pollingPlace}");

        Assert.Equal(TemplateErrorKind.FallbackNotAllowed, error.Kind);
        Assert.Equal(20, error.Length);
    }

    [Fact]
    public void A_conditional_that_is_never_closed_is_reported_at_its_opening_tag()
    {
        var error = SingleError("Hi. {?pollingPlace}Vote at {pollingPlace}.");

        Assert.Equal(new TemplateError(4, 1, 5, 15, "{?pollingPlace} at line 1, column 5 is never closed: add {/pollingPlace} where its text ends.", TemplateErrorKind.UnclosedConditional), error);
    }

    [Fact]
    public void A_closing_tag_without_an_opening_one_is_reported()
    {
        var error = SingleError("Vote!{/pollingPlace}");

        Assert.Equal(new TemplateError(5, 1, 6, 15, "{/pollingPlace} at line 1, column 6 has no matching {?pollingPlace} before it.", TemplateErrorKind.UnmatchedClosingTag), error);
    }

    [Fact]
    public void A_closing_tag_must_match_the_innermost_open_conditional()
    {
        var result = MessageTemplate.Parse("{?pollingPlace}{?precinct}x{/pollingPlace}{/precinct}", CampaignFields);

        Assert.Equal(
            [
                new TemplateError(27, 1, 28, 15, "{/pollingPlace} at line 1, column 28 closes {?pollingPlace}, but {?precinct} (at line 1, column 16) inside it is still open: add {/precinct} first.", TemplateErrorKind.MismatchedConditional),
                new TemplateError(42, 1, 43, 11, "{/precinct} at line 1, column 43 has no matching {?precinct} before it.", TemplateErrorKind.UnmatchedClosingTag),
            ],
            result.Errors);
    }

    [Fact]
    public void Closing_tags_match_their_opening_tag_in_any_case()
    {
        var result = MessageTemplate.Parse("{?PollingPlace}x{/pollingplace}", CampaignFields);

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Reports_every_error_at_once_in_text_order_with_lines_and_columns()
    {
        var text = "Hi {fristName}, {?pollingPlace}vote at {pollingPlace}\r\n} {first name} {}{zip|a|b}\n{/precinct} {lastName";

        var result = MessageTemplate.Parse(text, CampaignFields);

        Assert.False(result.IsValid);
        Assert.Null(result.Template);
        Assert.Equal(
            [
                (TemplateErrorKind.UnknownField, 1, 4),
                (TemplateErrorKind.UnclosedConditional, 1, 17),
                (TemplateErrorKind.StrayClosingBrace, 2, 1),
                (TemplateErrorKind.InvalidFieldName, 2, 3),
                (TemplateErrorKind.EmptyFieldName, 2, 16),
                (TemplateErrorKind.InvalidFallback, 2, 18),
                (TemplateErrorKind.UnmatchedClosingTag, 3, 1),
                (TemplateErrorKind.UnclosedBrace, 3, 13),
            ],
            result.Errors.Select(e => (e.Kind, e.Line, e.Column)));
    }

    [Fact]
    public void Error_positions_point_at_the_text_they_describe()
    {
        var text = "Line one\nLine two {fristName} and {/zip}";

        var result = MessageTemplate.Parse(text);

        Assert.All(result.Errors, e =>
        {
            var tag = text.Substring(e.Index, e.Length);
            Assert.StartsWith("{", tag, StringComparison.Ordinal);
            Assert.Contains(tag, e.Message, StringComparison.Ordinal);
            Assert.Equal(2, e.Line);
        });
    }

    private static TemplateError SingleError(string text)
    {
        var result = MessageTemplate.Parse(text, CampaignFields);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }
}
