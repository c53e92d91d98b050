namespace Chorus.Features.Campaigns.Templates;

/// <summary>
/// The merge fields every script can use, whatever columns the contact list has. Contact fields come from
/// the contact; <see cref="TexterFirstName"/> and <see cref="OrgName"/> come from the sender and the organization.
/// </summary>
public static class MergeFields
{
    public const string FirstName = "firstName";
    public const string LastName = "lastName";
    public const string Zip = "zip";
    public const string TexterFirstName = "texterFirstName";
    public const string OrgName = "orgName";

    public static IReadOnlyList<string> BuiltIn { get; } = [FirstName, LastName, Zip, TexterFirstName, OrgName];

    /// <summary>
    /// Whether <paramref name="name"/> can be written in a template: ASCII letters, digits and underscores,
    /// starting with a letter. A custom field whose name isn't one can't be referenced.
    /// </summary>
    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
