using Chorus.Features.Campaigns.Templates;

namespace Chorus.UnitTests.Features.Campaigns.Templates;

public sealed class MessageTemplateRenderTests
{
    private static readonly string[] CampaignFields = ["pollingPlace", "precinct", "middleName"];

    [Fact]
    public void Fills_each_merge_field_with_the_contacts_value()
    {
        var template = Compile("Hi {firstName} {lastName}, it's {texterFirstName} with {orgName} ({zip}).");

        var text = template.Render(Values(template, ("firstName", "Ana"), ("lastName", "Ruiz"), ("texterFirstName", "Sam"), ("orgName", "Smith for Senate"), ("zip", "30301")));

        Assert.Equal("Hi Ana Ruiz, it's Sam with Smith for Senate (30301).", text);
    }

    [Fact]
    public void Matches_field_names_in_any_case_and_compiles_them_to_the_canonical_spelling()
    {
        var template = Compile("{FIRSTNAME} {firstname} {PollingPlace}");

        var names = template.Fields.Select(f => f.Name);

        Assert.Equal(["firstName", "pollingPlace"], names);
        Assert.Equal("Ana Ana Lincoln Elementary", template.Render(["Ana", "Lincoln Elementary"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Prints_the_fallback_when_the_value_is_blank(string? firstName)
    {
        var template = Compile("Hi {firstName|friend}!");

        var text = template.Render([firstName]);

        Assert.Equal("Hi friend!", text);
    }

    [Fact]
    public void Prints_a_non_blank_value_exactly_as_given_even_with_a_fallback()
    {
        var template = Compile("Hi {firstName|friend}!");

        var text = template.Render([" Ana "]);

        Assert.Equal("Hi  Ana !", text);
    }

    [Fact]
    public void A_fallback_keeps_its_spaces_and_punctuation()
    {
        var template = Compile("Hi{firstName|, dear voter,} it's Sam.");

        var text = template.Render([null]);

        Assert.Equal("Hi, dear voter, it's Sam.", text);
    }

    [Fact]
    public void An_empty_fallback_makes_a_field_optional()
    {
        var template = Compile("{firstName} {middleName|}{lastName}");

        var text = template.Render(["Ana", null, "Ruiz"]);

        Assert.Equal("Ana Ruiz", text);
        Assert.False(template.Fields[1].IsRequired);
    }

    [Fact]
    public void A_blank_value_without_a_fallback_prints_nothing()
    {
        var template = Compile("Hi {firstName}!");

        var text = template.Render(["  "]);

        Assert.Equal("Hi !", text);
    }

    [Theory]
    [InlineData("Lincoln Elementary", "Hi Ana. Your polling place is Lincoln Elementary. Vote!")]
    [InlineData(null, "Hi Ana. Vote!")]
    [InlineData(" ", "Hi Ana. Vote!")]
    public void Shows_a_conditional_block_only_when_its_field_has_a_value(string? pollingPlace, string expected)
    {
        var template = Compile("Hi {firstName}. {?pollingPlace}Your polling place is {pollingPlace}. {/pollingPlace}Vote!");

        var text = template.Render(["Ana", pollingPlace]);

        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("Lincoln", "12", "[Lincoln (precinct 12)]")]
    [InlineData("Lincoln", null, "[Lincoln]")]
    [InlineData(null, "12", "[]")]
    [InlineData(null, null, "[]")]
    public void Nested_conditionals_each_test_their_own_field(string? pollingPlace, string? precinct, string expected)
    {
        var template = Compile("[{?pollingPlace}{pollingPlace}{?precinct} (precinct {precinct}){/precinct}{/pollingPlace}]");

        var text = template.Render([pollingPlace, precinct]);

        Assert.Equal(expected, text);
    }

    [Fact]
    public void Blocks_that_follow_each_other_are_independent()
    {
        var template = Compile("{?firstName}A{/firstName}{?lastName}B{/lastName}{?zip}C{/zip}");

        Assert.Equal("AC", template.Render(["x", null, "y"]));
        Assert.Equal("B", template.Render([null, "x", null]));
    }

    [Fact]
    public void Double_braces_print_literal_braces()
    {
        var template = Compile("Use {{firstName}} to greet {firstName} {{{lastName}}}");

        var text = template.Render(["Ana", "Ruiz"]);

        Assert.Equal("Use {firstName} to greet Ana {Ruiz}", text);
    }

    [Theory]
    [InlineData("{lastName}")]
    [InlineData("{?zip}x{/zip}")]
    [InlineData("}}{{")]
    [InlineData("{firstName|oops")]
    public void A_value_that_looks_like_template_syntax_prints_literally(string firstName)
    {
        var template = Compile("Hi {firstName}, {lastName}!");

        var text = template.Render([firstName, "Ruiz"]);

        Assert.Equal($"Hi {firstName}, Ruiz!", text);
    }

    [Fact]
    public void Renders_from_a_dictionary_whatever_the_case_of_its_keys()
    {
        var template = Compile("Hi {firstName}, vote at {pollingPlace|your usual place}.");
        var values = new Dictionary<string, string?> { ["FIRSTNAME"] = "Ana" };

        var text = template.Render(values);

        Assert.Equal("Hi Ana, vote at your usual place.", text);
    }

    [Fact]
    public void A_template_without_merge_fields_renders_its_text()
    {
        var template = Compile("Polls close at 7pm. Reply STOP to opt out.");

        Assert.Empty(template.Fields);
        Assert.Equal("Polls close at 7pm. Reply STOP to opt out.", template.Render([]));
    }

    [Fact]
    public void An_empty_template_renders_an_empty_message()
    {
        var template = Compile("");

        Assert.Equal("", template.Render([]));
    }

    [Fact]
    public void TryRender_writes_into_a_buffer_and_refuses_one_too_short()
    {
        var template = Compile("Hi {firstName|friend}!");
        string?[] values = ["Ana"];
        var buffer = new char[64];

        var rendered = template.TryRender(values, buffer, out var written);
        var refused = template.TryRender(values, new char[6], out var none);

        Assert.True(rendered);
        Assert.Equal("Hi Ana!", new string(buffer, 0, written));
        Assert.Equal(7, template.GetRenderedLength(values));
        Assert.False(refused);
        Assert.Equal(0, none);
    }

    [Fact]
    public void Rendering_with_fewer_values_than_fields_is_a_programming_error()
    {
        var template = Compile("{firstName} {lastName}");

        Assert.Throws<ArgumentException>(() => template.Render(["Ana"]));
    }

    [Fact]
    public void IndexOf_finds_a_used_field_in_any_case_and_minus_one_for_others()
    {
        var template = Compile("{orgName}: hi {firstName}");

        Assert.Equal(1, template.IndexOf("FirstName"));
        Assert.Equal(0, template.IndexOf(MergeFields.OrgName));
        Assert.Equal(-1, template.IndexOf(MergeFields.Zip));
    }

    [Fact]
    public void Describes_how_each_field_is_used_for_launch_validation()
    {
        var template = Compile(
            "Hi {firstName|friend}, {texterFirstName} here. {?pollingPlace}Vote at {pollingPlace}.{/pollingPlace}{?zip}({lastName}){/zip}");

        var fields = template.Fields.ToDictionary(f => f.Name);

        Assert.Equal(["firstName", "texterFirstName", "pollingPlace", "zip", "lastName"], template.Fields.Select(f => f.Name));
        Assert.Equal([0, 1, 2, 3, 4], template.Fields.Select(f => f.Index));
        Assert.Equal(new TemplateField("firstName", 0, IsRequired: false, AlwaysHasFallback: true, OnlyInsideConditionals: false), fields["firstName"]);
        Assert.Equal(new TemplateField("texterFirstName", 1, IsRequired: true, AlwaysHasFallback: false, OnlyInsideConditionals: false), fields["texterFirstName"]);
        Assert.Equal(new TemplateField("pollingPlace", 2, IsRequired: false, AlwaysHasFallback: false, OnlyInsideConditionals: false), fields["pollingPlace"]);
        Assert.Equal(new TemplateField("zip", 3, IsRequired: false, AlwaysHasFallback: false, OnlyInsideConditionals: false), fields["zip"]);
        Assert.Equal(new TemplateField("lastName", 4, IsRequired: true, AlwaysHasFallback: false, OnlyInsideConditionals: true), fields["lastName"]);
    }

    [Fact]
    public void A_field_printed_once_with_and_once_without_a_fallback_is_required()
    {
        var template = Compile("{firstName|friend}, yes you, {firstName}");

        var field = Assert.Single(template.Fields);

        Assert.True(field.IsRequired);
        Assert.False(field.AlwaysHasFallback);
    }

    [Fact]
    public void MissingFields_lists_the_required_fields_a_contact_leaves_blank()
    {
        var template = Compile("{firstName|friend} {lastName} {zip} {?pollingPlace}{pollingPlace}{/pollingPlace}");

        var missing = template.MissingFields([null, " ", "30301", null]);
        var none = template.MissingFields([null, "Ruiz", "30301", null]);

        Assert.Equal(["lastName"], missing);
        Assert.Empty(none);
    }

    private static MessageTemplate Compile(string text)
    {
        var result = MessageTemplate.Parse(text, CampaignFields);
        Assert.True(result.IsValid, string.Join("\n", result.Errors.Select(e => e.Message)));
        return result.Template;
    }

    private static string?[] Values(MessageTemplate template, params (string Name, string? Value)[] values)
    {
        var ordered = new string?[template.Fields.Count];
        foreach (var (name, value) in values)
        {
            ordered[template.IndexOf(name)] = value;
        }

        return ordered;
    }
}
