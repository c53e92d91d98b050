namespace Chorus.Features.Contacts.Phones;

/// <summary>Why a phone number can't be texted. <see cref="None"/> means it was accepted.</summary>
public enum PhoneNumberRejection
{
    None = 0,

    /// <summary>The cell was blank.</summary>
    Missing,

    /// <summary>Not a phone number at all ("n/a", "0", two numbers in one cell).</summary>
    Unparseable,

    /// <summary>
    /// A spreadsheet showed the number in scientific notation (2.12457E+09) and the digits it dropped can't
    /// be recovered. Only raised when digits are really lost; "2.124567890E+09" is read back exactly.
    /// </summary>
    ScientificNotation,

    /// <summary>A 7-digit local number (or fewer digits): it has no area code, so we would have to guess one.</summary>
    TooShort,

    /// <summary>libphonenumber says no such number exists (555 area code, exchange starting 0/1, reserved 37X/96X, unassigned area code).</summary>
    InvalidNumber,

    /// <summary>An N11 service code (911, 411…) or an N9X expansion code in the area code position.</summary>
    InvalidAreaCode,

    /// <summary>Toll-free (800, 833 … 888) or a reserved toll-free code (822, 880–887, 889).</summary>
    TollFree,

    /// <summary>Premium-rate or special-service area codes: 900, 500, 521–529, 533, 544, 566, 577, 588, 600, 622, 700, 710.</summary>
    PremiumOrSpecial,

    /// <summary>An N11 exchange (212-911-1234): libphonenumber accepts it, but no subscriber has it.</summary>
    ServiceCode,

    /// <summary>NPA-555-0100 to NPA-555-0199, reserved for films and books: libphonenumber accepts them.</summary>
    Fictional,

    /// <summary>A real number in a region the organization doesn't text (Canada, the Caribbean, abroad).</summary>
    RegionNotAllowed,
}
