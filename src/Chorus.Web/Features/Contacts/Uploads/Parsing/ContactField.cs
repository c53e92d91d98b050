namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>What a column of an uploaded contact list holds.</summary>
public enum ContactField
{
    /// <summary>Not imported.</summary>
    Ignore,
    FirstName,
    LastName,
    Phone,
    Zip,

    /// <summary>The contact's id in the campaign's CRM or voter file (a VAN ID), for matching and sync.</summary>
    ExternalId,

    /// <summary>An IANA zone name ("America/Chicago") that overrides the ZIP and phone guesses (decision 1).</summary>
    TimeZone,

    /// <summary>Kept with the contact under <see cref="MappedColumn.CustomFieldKey"/>, usable as a merge field.</summary>
    Custom,
}
