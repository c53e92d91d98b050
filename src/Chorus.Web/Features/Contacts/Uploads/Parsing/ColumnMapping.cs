using System.Collections.Frozen;
using System.Text.Json;
using Chorus.Features.Contacts.Phones;

namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>
/// Which column of an uploaded file holds which contact field. Guessed from the headers, then overridden by
/// whatever the person uploading chose explicitly; every column not claimed by a standard field becomes a custom
/// field that scripts can merge.
/// </summary>
public sealed class ColumnMapping
{
    // Header synonyms after HeaderKey(): lower case, letters and digits only. A lower rank wins when several
    // columns match one field: a VAN export with "Cell Phone" and "Phone" should text the cell.
    private static readonly FrozenDictionary<string, (ContactField Field, int Rank)> Synonyms = new Dictionary<string, (ContactField, int)>
    {
        ["first"] = (ContactField.FirstName, 0),
        ["firstname"] = (ContactField.FirstName, 0),
        ["givenname"] = (ContactField.FirstName, 0),
        ["fname"] = (ContactField.FirstName, 0),
        ["last"] = (ContactField.LastName, 0),
        ["lastname"] = (ContactField.LastName, 0),
        ["surname"] = (ContactField.LastName, 0),
        ["familyname"] = (ContactField.LastName, 0),
        ["lname"] = (ContactField.LastName, 0),
        ["cell"] = (ContactField.Phone, 0),
        ["cellphone"] = (ContactField.Phone, 0),
        ["cellnumber"] = (ContactField.Phone, 0),
        ["cellphonenumber"] = (ContactField.Phone, 0),
        ["mobile"] = (ContactField.Phone, 0),
        ["mobilephone"] = (ContactField.Phone, 0),
        ["mobilenumber"] = (ContactField.Phone, 0),
        ["mobilephonenumber"] = (ContactField.Phone, 0),
        ["wireless"] = (ContactField.Phone, 0),
        ["wirelessphone"] = (ContactField.Phone, 0),
        ["phone"] = (ContactField.Phone, 1),
        ["phonenumber"] = (ContactField.Phone, 1),
        ["telephone"] = (ContactField.Phone, 1),
        ["zip"] = (ContactField.Zip, 0),
        ["zip5"] = (ContactField.Zip, 0),
        ["zipcode"] = (ContactField.Zip, 0),
        ["postalcode"] = (ContactField.Zip, 0),
        ["postcode"] = (ContactField.Zip, 0),
        ["vanid"] = (ContactField.ExternalId, 0),
        ["voterfilevanid"] = (ContactField.ExternalId, 0),
        ["myvoterfilevanid"] = (ContactField.ExternalId, 0),
        ["mycampaignvanid"] = (ContactField.ExternalId, 0),
        ["externalid"] = (ContactField.ExternalId, 0),
        ["id"] = (ContactField.ExternalId, 1),
        ["timezone"] = (ContactField.TimeZone, 0),
        ["tz"] = (ContactField.TimeZone, 0),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Names a custom field may not take, so {firstName} in a script always means the contact's first name.
    private static readonly string[] ReservedKeys =
        ["firstName", "lastName", "phone", "zip", "externalId", "timeZone", "texterFirstName", "orgName"];

    private readonly int[] _ordinals;

    private ColumnMapping(IReadOnlyList<MappedColumn> columns)
    {
        Columns = columns;
        CustomFields = columns.Where(c => c.Field == ContactField.Custom).ToArray();
        _ordinals = new int[Enum.GetValues<ContactField>().Length];
        Array.Fill(_ordinals, -1);
        foreach (var column in columns)
        {
            if (column.Field is not (ContactField.Custom or ContactField.Ignore))
            {
                _ordinals[(int)column.Field] = column.Ordinal;
            }
        }
    }

    /// <summary>One entry per header, in file order.</summary>
    public IReadOnlyList<MappedColumn> Columns { get; }

    /// <summary>The custom columns, in file order; a row's custom values come in this order.</summary>
    public IReadOnlyList<MappedColumn> CustomFields { get; }

    /// <summary>
    /// The column holding <paramref name="field"/>, or -1. Only for the single-valued fields: not
    /// <see cref="ContactField.Custom"/> or <see cref="ContactField.Ignore"/>.
    /// </summary>
    public int OrdinalOf(ContactField field)
    {
        if (field is ContactField.Custom or ContactField.Ignore)
        {
            throw new ArgumentOutOfRangeException(nameof(field), field, "Several columns can be custom or ignored.");
        }

        return _ordinals[(int)field];
    }

    /// <summary>
    /// Builds the mapping from an explicit mapping given as JSON, such as
    /// <c>{"Cell Phone": "phone", "Ward": "custom", "Notes": "ignore", "PP": "custom:pollingPlace"}</c>.
    /// Null or blank JSON means guess everything.
    /// </summary>
    public static ColumnMappingResult Create(IReadOnlyList<string> headers, string? explicitMappingJson)
    {
        if (string.IsNullOrWhiteSpace(explicitMappingJson))
        {
            return Create(headers);
        }

        var (entries, jsonError) = ParseJson(explicitMappingJson);
        if (jsonError is not null)
        {
            var guessed = Create(headers);
            return guessed with { Errors = [jsonError, .. guessed.Errors] };
        }

        return Create(headers, entries);
    }

    /// <summary>
    /// Builds the mapping: guesses from the headers, then <paramref name="explicitMapping"/> (column name → field name:
    /// firstName, lastName, phone, zip, externalId, timeZone, custom, custom:someName or ignore) on top.
    /// Column names match exactly, or failing that ignoring case and surrounding spaces.
    /// </summary>
    public static ColumnMappingResult Create(
        IReadOnlyList<string> headers, IEnumerable<KeyValuePair<string, string>>? explicitMapping = null)
    {
        var errors = new List<ColumnMappingError>();
        var fields = new ContactField[headers.Count];
        var explicitKeys = new string?[headers.Count];
        var isExplicit = new bool[headers.Count];

        Guess(headers, fields);
        foreach (var (columnName, fieldName) in explicitMapping ?? [])
        {
            var ordinal = FindColumn(headers, columnName, errors);
            var field = ParseField(columnName, fieldName, errors, out var customKey);
            if (ordinal < 0 || field is null)
            {
                continue;
            }

            if (isExplicit[ordinal])
            {
                errors.Add(new(ColumnMappingErrorCode.FieldMappedTwice, $"Column '{headers[ordinal]}' is mapped more than once.", columnName));
                continue;
            }

            fields[ordinal] = field.Value;
            explicitKeys[ordinal] = customKey;
            isExplicit[ordinal] = true;
        }

        ResolveSingleFields(headers, fields, isExplicit, errors);
        var keys = AssignCustomKeys(headers, fields, explicitKeys, errors);
        var columns = new MappedColumn[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            columns[i] = new MappedColumn(i, headers[i], fields[i], keys[i], isExplicit[i]);
        }

        if (!fields.Contains(ContactField.Phone))
        {
            errors.Add(NoPhoneColumn(headers));
        }

        return new ColumnMappingResult(new ColumnMapping(columns), errors);
    }

    /// <summary>"First Name", "first_name", "FIRST-NAME" and "First.Name" all become "firstname".</summary>
    internal static string HeaderKey(string header)
    {
        Span<char> buffer = header.Length <= 256 ? stackalloc char[header.Length] : new char[header.Length];
        var length = 0;
        foreach (var c in header)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    private static void Guess(IReadOnlyList<string> headers, ContactField[] fields)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            // A column without a header can't be named in a script or a mapping; Excel adds them for stray commas.
            fields[i] = string.IsNullOrWhiteSpace(headers[i]) ? ContactField.Ignore
                : Synonyms.TryGetValue(HeaderKey(headers[i]), out var synonym) ? synonym.Field
                : ContactField.Custom;
        }
    }

    // A contact has one phone, one first name…: an explicit choice beats any guess, two explicit choices are an
    // error, and among guesses the best-ranked synonym (then the leftmost column) wins. Losers become custom.
    private static void ResolveSingleFields(
        IReadOnlyList<string> headers, ContactField[] fields, bool[] isExplicit, List<ColumnMappingError> errors)
    {
        foreach (var field in Enum.GetValues<ContactField>())
        {
            if (field is ContactField.Custom or ContactField.Ignore)
            {
                continue;
            }

            var candidates = Enumerable.Range(0, fields.Length).Where(i => fields[i] == field).ToArray();
            if (candidates.Length <= 1)
            {
                continue;
            }

            var chosen = candidates.Where(i => isExplicit[i]).ToArray();
            if (chosen.Length > 1)
            {
                var names = string.Join(", ", chosen.Select(i => $"'{headers[i]}'"));
                errors.Add(new(ColumnMappingErrorCode.FieldMappedTwice, $"Columns {names} are all mapped to {FieldName(field)}; choose one.", headers[chosen[1]]));
                continue;
            }

            var winner = chosen.Length == 1
                ? chosen[0]
                : candidates.OrderBy(i => Synonyms[HeaderKey(headers[i])].Rank).ThenBy(i => i).First();
            foreach (var loser in candidates.Where(i => i != winner))
            {
                fields[loser] = ContactField.Custom;
            }
        }
    }

    private static string?[] AssignCustomKeys(
        IReadOnlyList<string> headers, ContactField[] fields, string?[] explicitKeys, List<ColumnMappingError> errors)
    {
        var keys = new string?[headers.Count];
        var used = new HashSet<string>(ReservedKeys, StringComparer.OrdinalIgnoreCase);

        // Keys chosen by hand are taken first, so a derived key never steals one; a clash between two of them, or
        // with a built-in field, is the uploader's to resolve rather than ours to rename.
        for (var i = 0; i < headers.Count; i++)
        {
            if (fields[i] == ContactField.Custom && explicitKeys[i] is { } key)
            {
                keys[i] = key;
                if (!used.Add(key))
                {
                    errors.Add(new(ColumnMappingErrorCode.InvalidCustomFieldKey, $"Column '{headers[i]}' is mapped to custom field '{key}', a name already taken by a built-in field or another column.", headers[i]));
                }
            }
        }

        for (var i = 0; i < headers.Count; i++)
        {
            if (fields[i] == ContactField.Custom && keys[i] is null)
            {
                var derived = CustomFieldKey.FromHeader(headers[i])
                    ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"column{i + 1}");
                keys[i] = Unique(derived, used);
            }
        }

        return keys;
    }

    // Merge fields may be looked up without regard to case, so "Ward" and "ward" must not both exist.
    private static string Unique(string key, HashSet<string> used)
    {
        var candidate = key;
        for (var suffix = 2; !used.Add(candidate); suffix++)
        {
            var tail = suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            candidate = (key.Length + tail.Length > CustomFieldKey.MaxLength ? key[..(CustomFieldKey.MaxLength - tail.Length)] : key) + tail;
        }

        return candidate;
    }

    private static int FindColumn(IReadOnlyList<string> headers, string columnName, List<ColumnMappingError> errors)
    {
        var matches = Enumerable.Range(0, headers.Count)
            .Where(i => string.Equals(headers[i], columnName, StringComparison.Ordinal))
            .ToArray();
        if (matches.Length == 0)
        {
            matches = Enumerable.Range(0, headers.Count)
                .Where(i => string.Equals(headers[i].Trim(), columnName.Trim(), StringComparison.OrdinalIgnoreCase))
                .ToArray();
        }

        switch (matches.Length)
        {
            case 1:
                return matches[0];
            case 0:
                var available = string.Join(", ", headers.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => $"'{h}'"));
                errors.Add(new(ColumnMappingErrorCode.UnknownColumn, $"The mapping names column '{columnName}', but the file has no such column. Its columns are {available}.", columnName));
                return -1;
            default:
                errors.Add(new(ColumnMappingErrorCode.AmbiguousColumn, $"The file has {matches.Length} columns named '{columnName}'; rename them so each name is used once.", columnName));
                return -1;
        }
    }

    private static ContactField? ParseField(string columnName, string fieldName, List<ColumnMappingError> errors, out string? customKey)
    {
        customKey = null;
        var name = fieldName.Trim();
        if (name.StartsWith("custom:", StringComparison.OrdinalIgnoreCase))
        {
            customKey = name["custom:".Length..].Trim();
            if (CustomFieldKey.IsValid(customKey))
            {
                return ContactField.Custom;
            }

            errors.Add(new(ColumnMappingErrorCode.InvalidCustomFieldKey, $"'{customKey}' (for column '{columnName}') can't be a merge field name: use letters, digits and underscores, starting with a letter, at most {CustomFieldKey.MaxLength} characters.", columnName));
            return null;
        }

        foreach (var field in Enum.GetValues<ContactField>())
        {
            if (string.Equals(FieldName(field), name, StringComparison.OrdinalIgnoreCase))
            {
                return field;
            }
        }

        var known = string.Join(", ", Enum.GetValues<ContactField>().Select(FieldName));
        errors.Add(new(ColumnMappingErrorCode.UnknownField, $"Column '{columnName}' is mapped to '{fieldName}', which isn't a field. Use one of {known}, or custom:someName.", columnName));
        return null;
    }

    /// <summary>The name used in explicit mappings: firstName, lastName, phone, zip, externalId, timeZone, custom, ignore.</summary>
    public static string FieldName(ContactField field) => field switch
    {
        ContactField.Ignore => "ignore",
        ContactField.FirstName => "firstName",
        ContactField.LastName => "lastName",
        ContactField.Phone => "phone",
        ContactField.Zip => "zip",
        ContactField.ExternalId => "externalId",
        ContactField.TimeZone => "timeZone",
        ContactField.Custom => "custom",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static ColumnMappingError NoPhoneColumn(IReadOnlyList<string> headers)
    {
        const string Start = "No column holds phone numbers. Name it Phone or Cell, or map it to phone explicitly.";

        // The two usual causes: a file without a header row, and a file split on something other than commas.
        var phoneInHeader = headers.FirstOrDefault(h => PhoneNumberNormalizer.Default.Normalize(h).IsAccepted);
        if (phoneInHeader is not null)
        {
            return new(ColumnMappingErrorCode.NoPhoneColumn, $"{Start} The first row looks like a contact, not column names (it has the phone number '{phoneInHeader}'): add a header row.");
        }

        if (headers.Count == 1 && headers[0].AsSpan().IndexOfAny(";\t|") >= 0)
        {
            return new(ColumnMappingErrorCode.NoPhoneColumn, $"{Start} The header is a single column, '{headers[0]}': save the file with commas between columns.");
        }

        var found = string.Join(", ", headers.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => $"'{h}'"));
        return new(ColumnMappingErrorCode.NoPhoneColumn, $"{Start} The file's columns are {found}.");
    }

    private static (List<KeyValuePair<string, string>> Entries, ColumnMappingError? Error) ParseJson(string json)
    {
        var entries = new List<KeyValuePair<string, string>>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (entries, InvalidJson("it must be an object such as {\"Cell Phone\": \"phone\"}"));
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return (entries, InvalidJson($"the value for '{property.Name}' must be a field name in quotes"));
                }

                entries.Add(new(property.Name, property.Value.GetString()!));
            }

            return (entries, null);
        }
        catch (JsonException e)
        {
            return (entries, InvalidJson(e.Message));
        }

        static ColumnMappingError InvalidJson(string why) =>
            new(ColumnMappingErrorCode.InvalidJson, $"The column mapping isn't valid JSON: {why}.");
    }
}
