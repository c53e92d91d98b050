namespace Chorus.Features.Contacts.Uploads.Parsing;

public enum ContactCsvReadStatus
{
    /// <summary><see cref="ContactCsvReader.Current"/> holds the next row.</summary>
    Row,

    /// <summary>The file ended normally.</summary>
    End,

    /// <summary>The file can't be read further; <see cref="ContactCsvReader.Error"/> says why and where.</summary>
    Failed,
}
