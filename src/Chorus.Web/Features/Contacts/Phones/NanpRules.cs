namespace Chorus.Features.Contacts.Phones;

/// <summary>
/// The North American Numbering Plan rules we apply on top of libphonenumber (DOMAIN.md §6.2, decision 5).
/// Numbers are NPA-NXX-XXXX: area code, exchange, line. Both the fast path and the libphonenumber path call
/// these in the same order, which is what lets the two agree exactly.
/// </summary>
internal static class NanpRules
{
    /// <summary>Rules on the area code alone, checked before asking libphonenumber.</summary>
    public static PhoneNumberRejection CheckAreaCode(int npa)
    {
        var first = npa / 100;
        var middle = npa / 10 % 10;
        var last = npa % 10;

        if (first < 2)
        {
            return PhoneNumberRejection.InvalidNumber;
        }

        // N11 are service codes and N9X is held back for expanding the plan; neither is ever an area code.
        if ((middle == 1 && last == 1) || middle == 9)
        {
            return PhoneNumberRejection.InvalidAreaCode;
        }

        if (IsTollFree(npa))
        {
            return PhoneNumberRejection.TollFree;
        }

        if (IsPremiumOrSpecial(npa))
        {
            return PhoneNumberRejection.PremiumOrSpecial;
        }

        // 37X and 96X are reserved blocks; 555 is not an area code. libphonenumber rejects them too, but
        // deciding here keeps them on the fast path.
        if (npa is (>= 370 and <= 379) or (>= 960 and <= 969) or 555)
        {
            return PhoneNumberRejection.InvalidNumber;
        }

        return PhoneNumberRejection.None;
    }

    /// <summary>Exchanges start with 2–9; libphonenumber agrees for every NANP region.</summary>
    public static PhoneNumberRejection CheckExchangeFormat(int nxx) =>
        nxx < 200 ? PhoneNumberRejection.InvalidNumber : PhoneNumberRejection.None;

    /// <summary>Rules libphonenumber doesn't know, checked once it has called the number valid.</summary>
    public static PhoneNumberRejection CheckValidNumber(int nxx, int line)
    {
        if (nxx % 100 == 11)
        {
            return PhoneNumberRejection.ServiceCode;
        }

        // 555-0100 to 555-0199 only: the rest of 555 (555-1212 directory assistance aside) is assignable.
        if (nxx == 555 && line / 100 == 1)
        {
            return PhoneNumberRejection.Fictional;
        }

        return PhoneNumberRejection.None;
    }

    /// <summary>Toll-free codes in use (800, 833, 844, 855, 866, 877, 888) and the ones reserved for toll-free growth (822, 880–887, 889).</summary>
    public static bool IsTollFree(int npa) =>
        npa is 800 or 822 or 833 or 844 or 855 or 866 or 877 or (>= 880 and <= 889);

    /// <summary>900 premium; 500, 521–529, 533, 544, 566, 577, 588 personal communications; 600/622 Canadian services; 700 carrier services; 710 US government.</summary>
    /// <remarks>520 is left out on purpose: it is Tucson's geographic area code, not part of the 52X block.</remarks>
    public static bool IsPremiumOrSpecial(int npa) =>
        npa is 900 or 500 or (>= 521 and <= 529) or 533 or 544 or 566 or 577 or 588 or 600 or 622 or 700 or 710;
}
