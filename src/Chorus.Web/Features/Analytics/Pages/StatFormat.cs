using System.Globalization;

namespace Chorus.Features.Analytics.Pages;

/// <summary>How dashboards write numbers: grouped counts, percentages with one decimal, dollars with two (four when small).</summary>
internal static class StatFormat
{
    private static readonly CultureInfo Us = CultureInfo.GetCultureInfo("en-US");

    public static string Count(long value) => value.ToString("N0", Us);

    public static string Percent(double? rate) => rate is { } r ? r.ToString("P1", Us) : "–";

    public static string Money(decimal value) => value.ToString(value is > 0 and < 1 ? "$0.0000" : "$#,##0.00", Us);

    public static string Seconds(double? seconds) => seconds switch
    {
        null => "–",
        < 60 => string.Create(Us, $"{seconds:0} s"),
        < 3600 => string.Create(Us, $"{seconds / 60:0.#} min"),
        _ => string.Create(Us, $"{seconds / 3600:0.#} h"),
    };

    public static string Of(int part, int whole) => whole == 0 ? "" : string.Create(Us, $"{(double)part / whole:P0}");
}
