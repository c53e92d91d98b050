using System.Globalization;
using Microsoft.JSInterop;

namespace Chorus.Components;

/// <summary>
/// Shows stored UTC times in the viewer's own time zone. The server can't know that zone, so the layout asks the
/// browser once per circuit; until it answers (and during prerendering) times are shown in UTC, labelled as such.
/// </summary>
public sealed class BrowserTime
{
    private const string DateTimePattern = "d MMM yyyy, HH:mm";
    private const string DatePattern = "d MMM yyyy";

    private TimeZoneInfo? _zone;

    public event Action? Changed;

    public async Task DetectAsync(IJSRuntime js)
    {
        if (_zone is not null)
        {
            return;
        }

        try
        {
            var id = await js.InvokeAsync<string?>("chorus.timeZone");
            if (id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                _zone = zone;
                Changed?.Invoke();
            }
        }
        catch (JSException)
        {
            // An old browser without Intl time zones: UTC, labelled, is still correct.
        }
    }

    public string Format(DateTime utc) => _zone is { } zone
        ? TimeZoneInfo.ConvertTimeFromUtc(AsUtc(utc), zone).ToString(DateTimePattern, CultureInfo.InvariantCulture)
        : FormatUtc(utc);

    public string FormatDate(DateTime utc) => _zone is { } zone
        ? TimeZoneInfo.ConvertTimeFromUtc(AsUtc(utc), zone).ToString(DatePattern, CultureInfo.InvariantCulture)
        : AsUtc(utc).ToString(DatePattern, CultureInfo.InvariantCulture);

    public static string FormatUtc(DateTime utc) => AsUtc(utc).ToString(DateTimePattern, CultureInfo.InvariantCulture) + " UTC";

    /// <summary>The viewer's local wall-clock time as UTC, for inputs that ask for a local date (expiry, filters).</summary>
    public DateTime ToUtc(DateTime local) => _zone is { } zone
        ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone)
        : DateTime.SpecifyKind(local, DateTimeKind.Utc);

    private static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
