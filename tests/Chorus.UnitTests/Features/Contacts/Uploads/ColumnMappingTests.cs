using Chorus.Features.Contacts.Uploads.Parsing;

namespace Chorus.UnitTests.Features.Contacts.Uploads;

public sealed class ColumnMappingTests
{
    [Theory]
    [InlineData("first", ContactField.FirstName)]
    [InlineData("first_name", ContactField.FirstName)]
    [InlineData("firstname", ContactField.FirstName)]
    [InlineData("FirstName", ContactField.FirstName)]
    [InlineData("First Name", ContactField.FirstName)]
    [InlineData("givenname", ContactField.FirstName)]
    [InlineData("given_name", ContactField.FirstName)]
    [InlineData("fname", ContactField.FirstName)]
    [InlineData("last", ContactField.LastName)]
    [InlineData("last_name", ContactField.LastName)]
    [InlineData("lastname", ContactField.LastName)]
    [InlineData("Last Name", ContactField.LastName)]
    [InlineData("surname", ContactField.LastName)]
    [InlineData("family_name", ContactField.LastName)]
    [InlineData("lname", ContactField.LastName)]
    [InlineData("cell", ContactField.Phone)]
    [InlineData("cellphone", ContactField.Phone)]
    [InlineData("cell_phone", ContactField.Phone)]
    [InlineData("Cell Phone", ContactField.Phone)]
    [InlineData("phone", ContactField.Phone)]
    [InlineData("phone_number", ContactField.Phone)]
    [InlineData("phonenumber", ContactField.Phone)]
    [InlineData("mobile", ContactField.Phone)]
    [InlineData("mobile_phone", ContactField.Phone)]
    [InlineData("Mobile Number", ContactField.Phone)]
    [InlineData("wireless", ContactField.Phone)]
    [InlineData("zip", ContactField.Zip)]
    [InlineData("zip5", ContactField.Zip)]
    [InlineData("zipcode", ContactField.Zip)]
    [InlineData("zip_code", ContactField.Zip)]
    [InlineData("postal_code", ContactField.Zip)]
    [InlineData("postcode", ContactField.Zip)]
    [InlineData("Postal Code", ContactField.Zip)]
    [InlineData("VANID", ContactField.ExternalId)]
    [InlineData("van_id", ContactField.ExternalId)]
    [InlineData("vanid", ContactField.ExternalId)]
    [InlineData("external_id", ContactField.ExternalId)]
    [InlineData("externalid", ContactField.ExternalId)]
    [InlineData("Voter File VANID", ContactField.ExternalId)]
    [InlineData("id", ContactField.ExternalId)]
    [InlineData("timezone", ContactField.TimeZone)]
    [InlineData("time_zone", ContactField.TimeZone)]
    [InlineData("tz", ContactField.TimeZone)]
    [InlineData("Time Zone", ContactField.TimeZone)]
    [InlineData("  PHONE-NUMBER. ", ContactField.Phone)]
    [InlineData("Zip4", ContactField.Custom)] // VAN's ZIP+4 suffix column, not a ZIP code
    [InlineData("Home Phone", ContactField.Custom)]
    public void Guesses_the_field_of_a_header(string header, ContactField expected)
    {
        Assert.Equal(expected, Guess(header));
    }

    [Fact]
    public void Prefers_a_cell_column_to_a_generic_phone_column_wherever_it_is()
    {
        var result = ColumnMapping.Create(["Phone", "Name", "Cell Phone"]);

        Assert.Equal(2, result.Mapping.OrdinalOf(ContactField.Phone));
        Assert.Equal(ContactField.Custom, result.Mapping.Columns[0].Field);
        Assert.Equal("phone2", result.Mapping.Columns[0].CustomFieldKey);
    }

    [Fact]
    public void Takes_the_leftmost_of_equally_good_columns_and_keeps_the_others_as_custom_fields()
    {
        var result = ColumnMapping.Create(["Phone", "Phone", "Notes", "Notes", "notes"]);

        Assert.True(result.IsValid);
        Assert.Equal(0, result.Mapping.OrdinalOf(ContactField.Phone));
        Assert.Equal(["phone2", "notes", "notes2", "notes3"], result.Mapping.CustomFields.Select(c => c.CustomFieldKey));
    }

    [Fact]
    public void Turns_other_headers_into_camel_case_merge_fields()
    {
        var result = ColumnMapping.Create(["Phone", "Polling Place", "2024 vote?", "Código Postal", "???", "Ward"]);

        Assert.Equal(["pollingPlace", "field2024Vote", "codigoPostal", "column5", "ward"], result.Mapping.CustomFields.Select(c => c.CustomFieldKey));
        Assert.All(result.Mapping.CustomFields, c => Assert.Matches("^[A-Za-z][A-Za-z0-9_]*$", c.CustomFieldKey));
    }

    [Fact]
    public void Ignores_columns_without_a_header()
    {
        var result = ColumnMapping.Create(["Phone", "", "  "]);

        Assert.Equal(ContactField.Ignore, result.Mapping.Columns[1].Field);
        Assert.Equal(ContactField.Ignore, result.Mapping.Columns[2].Field);
        Assert.Empty(result.Mapping.CustomFields);
    }

    [Fact]
    public void Lets_an_explicit_mapping_override_every_guess()
    {
        var result = ColumnMapping.Create(
            ["Phone", "Other Number", "First", "Notes", "Ward"],
            """{"Phone": "ignore", "Other Number": "phone", "First": "custom", "Notes": "firstName", "Ward": "custom:wardName"}""");

        Assert.True(result.IsValid, string.Join(" ", result.Errors.Select(e => e.Message)));
        Assert.Equal(1, result.Mapping.OrdinalOf(ContactField.Phone));
        Assert.Equal(3, result.Mapping.OrdinalOf(ContactField.FirstName));
        Assert.Equal(ContactField.Ignore, result.Mapping.Columns[0].Field);
        Assert.Equal(["first", "wardName"], result.Mapping.CustomFields.Select(c => c.CustomFieldKey));
        Assert.All(result.Mapping.Columns, c => Assert.True(c.IsExplicit));
    }

    [Fact]
    public void An_explicit_choice_demotes_a_guessed_column_for_the_same_field()
    {
        var result = ColumnMapping.Create(["Cell", "Best Number"], """{"best number": "phone"}""");

        Assert.True(result.IsValid);
        Assert.Equal(1, result.Mapping.OrdinalOf(ContactField.Phone));
        Assert.Equal("cell", result.Mapping.Columns[0].CustomFieldKey);
    }

    [Fact]
    public void Matches_mapping_column_names_ignoring_case_and_surrounding_spaces()
    {
        var result = ColumnMapping.Create([" Cellular "], """{"CELLULAR": "Phone"}""");

        Assert.True(result.IsValid);
        Assert.Equal(0, result.Mapping.OrdinalOf(ContactField.Phone));
    }

    [Fact]
    public void Reports_every_mapping_problem_at_once()
    {
        var result = ColumnMapping.Create(
            ["Name", "Ward", "Notes", "Notes"],
            """{"Cellular": "phone", "Name": "nickname", "Ward": "custom:2bad", "Notes": "custom"}""");

        Assert.False(result.IsValid);
        Assert.Equal(
            [
                ColumnMappingErrorCode.UnknownColumn,
                ColumnMappingErrorCode.UnknownField,
                ColumnMappingErrorCode.InvalidCustomFieldKey,
                ColumnMappingErrorCode.AmbiguousColumn,
                ColumnMappingErrorCode.NoPhoneColumn,
            ],
            result.Errors.Select(e => e.Code));
        Assert.Contains("'Cellular'", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'Name', 'Ward', 'Notes', 'Notes'", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("firstName", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_two_columns_mapped_to_phone()
    {
        var result = ColumnMapping.Create(["Cell", "Home"], """{"Cell": "phone", "Home": "phone"}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(ColumnMappingErrorCode.FieldMappedTwice, error.Code);
        Assert.Contains("'Cell', 'Home'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_file_without_a_phone_column_and_lists_its_columns()
    {
        var result = ColumnMapping.Create(["First Name", "Last Name", "Email"]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ColumnMappingErrorCode.NoPhoneColumn, error.Code);
        Assert.Contains("'First Name', 'Last Name', 'Email'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Says_when_the_first_row_looks_like_a_contact_rather_than_headers()
    {
        var result = ColumnMapping.Create(["Jane", "Doe", "(212) 456-7890"]);

        Assert.Contains("header row", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""["phone"]""")]
    [InlineData("""{"Cell": 3}""")]
    public void Refuses_a_mapping_that_is_not_a_JSON_object_of_strings(string json)
    {
        var result = ColumnMapping.Create(["Cell"], json);

        Assert.Equal(ColumnMappingErrorCode.InvalidJson, Assert.Single(result.Errors).Code);
        Assert.Equal(0, result.Mapping.OrdinalOf(ContactField.Phone));
    }

    [Fact]
    public void Keeps_derived_custom_keys_clear_of_built_in_merge_fields()
    {
        var result = ColumnMapping.Create(["Cell", "First Name", "Org Name"], """{"First Name": "custom"}""");

        Assert.True(result.IsValid);
        Assert.Equal(["firstName2", "orgName2"], result.Mapping.CustomFields.Select(c => c.CustomFieldKey));
    }

    [Fact]
    public void Refuses_a_chosen_custom_key_that_is_taken()
    {
        var result = ColumnMapping.Create(["Cell", "Ward", "District", "Code"], """{"Ward": "custom:area", "District": "custom:AREA", "Code": "custom:zip"}""");

        Assert.Equal(
            [ColumnMappingErrorCode.InvalidCustomFieldKey, ColumnMappingErrorCode.InvalidCustomFieldKey],
            result.Errors.Select(e => e.Code));
        Assert.Equal(["District", "Code"], result.Errors.Select(e => e.Column));
    }

    private static ContactField Guess(string header) => ColumnMapping.Create([header]).Mapping.Columns[0].Field;
}
