using System.Globalization;
using Chorus.Features.Contacts.TimeZones;
using Chorus.Features.OptOuts;

namespace Chorus.UnitTests.Features.OptOuts;

public sealed class TextingWindowTests
{
    private static readonly string[] NewYork = ["America/New_York"];

    [Fact]
    public void Blocks_a_send_at_9_05pm_in_the_contacts_time_zone()
    {
        var decision = TextingWindow.Evaluate(At("2026-07-01T21:05:00-04:00"), NewYork, null, TextingHours.Default);

        Assert.False(decision.Allowed);
        Assert.Equal(At("2026-07-02T09:00:00-04:00"), decision.NextAllowedAt);
        Assert.Equal(new TimeOnly(9, 0), decision.WindowStart);
        Assert.Equal(new TimeOnly(21, 0), decision.WindowEnd);
    }

    [Theory]
    [InlineData("2026-07-01T08:59:59-04:00", false)]
    [InlineData("2026-07-01T09:00:00-04:00", true)]
    [InlineData("2026-07-01T20:59:59-04:00", true)]
    [InlineData("2026-07-01T21:00:00-04:00", false)]
    public void Opens_at_the_start_and_closes_at_the_end_exclusive(string instant, bool allowed)
    {
        var decision = TextingWindow.Evaluate(At(instant), NewYork, null, TextingHours.Default);

        Assert.Equal(allowed, decision.Allowed);
    }

    [Fact]
    public void An_allowed_instant_is_its_own_next_allowed_instant_and_says_when_the_window_closes()
    {
        var at = At("2026-07-01T14:00:00-04:00");

        var decision = TextingWindow.Evaluate(at, NewYork, null, TextingHours.Default);

        Assert.True(decision.Allowed);
        Assert.Equal(at, decision.NextAllowedAt);
        Assert.Equal(At("2026-07-01T21:00:00-04:00"), decision.WindowClosesAt);
        var local = Assert.Single(decision.LocalTimes);
        Assert.Equal("America/New_York", local.TimeZone);
        Assert.Equal(new DateTime(2026, 7, 1, 14, 0, 0), local.LocalTime.DateTime);
        Assert.Equal(TimeSpan.FromHours(-4), local.LocalTime.Offset);
    }

    [Fact]
    public void Reads_the_instant_in_the_contacts_zone_whatever_offset_it_was_given_in()
    {
        var decision = TextingWindow.Evaluate(At("2026-07-01T18:30:00Z"), NewYork, null, TextingHours.Default);

        Assert.True(decision.Allowed);
        Assert.Equal(new DateTime(2026, 7, 1, 14, 30, 0), decision.LocalTimes[0].LocalTime.DateTime);
    }

    [Fact]
    public void On_the_spring_forward_morning_opens_at_9_daylight_time()
    {
        // 2026-03-08: 02:00 EST becomes 03:00 EDT (07:00 UTC).
        var decision = TextingWindow.Evaluate(At("2026-03-08T01:30:00-05:00"), NewYork, null, TextingHours.Default);

        Assert.False(decision.Allowed);
        Assert.Equal(At("2026-03-08T09:00:00-04:00"), decision.NextAllowedAt);
    }

    [Fact]
    public void A_window_starting_at_2_30_on_the_spring_forward_day_opens_when_the_clock_jumps_to_3()
    {
        var hours = new TextingHours(new TimeOnly(2, 30), new TimeOnly(21, 0));

        var before = TextingWindow.Evaluate(At("2026-03-08T01:59:59-05:00"), NewYork, null, hours);
        var after = TextingWindow.Evaluate(At("2026-03-08T03:00:00-04:00"), NewYork, null, hours);

        Assert.False(before.Allowed);
        Assert.Equal(At("2026-03-08T03:00:00-04:00"), before.NextAllowedAt);
        Assert.Equal(new TimeOnly(3, 0), before.WindowStart);
        Assert.True(after.Allowed);
    }

    [Fact]
    public void A_window_ending_at_2_30_closes_when_the_clock_jumps_past_it_on_the_spring_forward_night()
    {
        var hours = new TextingHours(new TimeOnly(20, 0), new TimeOnly(2, 30));

        var lastSecond = TextingWindow.Evaluate(At("2026-03-08T01:59:59-05:00"), NewYork, null, hours);
        var jumped = TextingWindow.Evaluate(At("2026-03-08T03:00:00-04:00"), NewYork, null, hours);

        Assert.True(lastSecond.Allowed);
        Assert.Equal(At("2026-03-08T03:00:00-04:00"), lastSecond.WindowClosesAt);
        Assert.False(jumped.Allowed);
        Assert.Equal(At("2026-03-08T20:00:00-04:00"), jumped.NextAllowedAt);
    }

    [Fact]
    public void On_the_fall_back_morning_opens_at_9_standard_time()
    {
        // 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00 UTC); 01:30 happens twice.
        var decision = TextingWindow.Evaluate(At("2026-11-01T01:30:00-04:00"), NewYork, null, TextingHours.Default);

        Assert.False(decision.Allowed);
        Assert.Equal(At("2026-11-01T09:00:00-05:00"), decision.NextAllowedAt);
    }

    [Fact]
    public void A_window_ending_at_1_30_reopens_while_the_fall_back_repeats_1_to_1_30()
    {
        var hours = new TextingHours(new TimeOnly(20, 0), new TimeOnly(1, 30));

        var firstPass = TextingWindow.Evaluate(At("2026-11-01T01:15:00-04:00"), NewYork, null, hours);
        var between = TextingWindow.Evaluate(At("2026-11-01T01:45:00-04:00"), NewYork, null, hours);

        Assert.True(firstPass.Allowed);
        Assert.Equal(At("2026-11-01T01:30:00-04:00"), firstPass.WindowClosesAt);
        Assert.False(between.Allowed);
        Assert.Equal(At("2026-11-01T01:00:00-05:00"), between.NextAllowedAt);
        Assert.Equal(At("2026-11-01T01:30:00-05:00"), between.WindowClosesAt);
    }

    [Fact]
    public void A_window_starting_at_1_30_on_the_fall_back_day_opens_at_the_first_1_30()
    {
        var hours = new TextingHours(new TimeOnly(1, 30), new TimeOnly(21, 0));

        var decision = TextingWindow.Evaluate(At("2026-11-01T01:00:00-04:00"), NewYork, null, hours);

        Assert.False(decision.Allowed);
        Assert.Equal(At("2026-11-01T01:30:00-04:00"), decision.NextAllowedAt);
    }

    [Fact]
    public void Arizona_keeps_standard_time_in_summer_while_Denver_is_an_hour_ahead()
    {
        var at = At("2026-07-01T15:30:00Z");

        var denver = TextingWindow.Evaluate(at, ["America/Denver"], null, TextingHours.Default);
        var phoenix = TextingWindow.Evaluate(at, ["America/Phoenix"], null, TextingHours.Default);

        Assert.True(denver.Allowed);
        Assert.False(phoenix.Allowed);
        Assert.Equal(At("2026-07-01T09:00:00-07:00"), phoenix.NextAllowedAt);
    }

    [Fact]
    public void Arizona_and_Denver_agree_in_winter()
    {
        var at = At("2026-01-15T16:00:00Z");

        var decision = TextingWindow.Evaluate(at, ["America/Denver", "America/Phoenix"], null, TextingHours.Default);

        Assert.True(decision.Allowed);
        Assert.All(decision.LocalTimes, t => Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(t.LocalTime.DateTime)));
    }

    [Theory]
    [InlineData("2026-07-01T18:59:59Z", false)]
    [InlineData("2026-07-01T19:00:00Z", true)]
    [InlineData("2026-07-02T06:59:59Z", true)]
    [InlineData("2026-07-02T07:00:00Z", false)]
    public void Hawaii_is_ten_hours_behind_utc_all_year(string instant, bool allowed)
    {
        var decision = TextingWindow.Evaluate(At(instant), ["Pacific/Honolulu"], null, TextingHours.Default);

        Assert.Equal(allowed, decision.Allowed);
    }

    [Fact]
    public void An_Alaska_number_is_allowed_only_when_both_Adak_and_Anchorage_are_open()
    {
        // Summer: Anchorage is UTC-8, Adak UTC-9. At 17:30 UTC Anchorage reads 09:30, Adak 08:30.
        string[] alaska = ["America/Adak", "America/Anchorage"];

        var morning = TextingWindow.Evaluate(At("2026-07-01T17:30:00Z"), alaska, null, TextingHours.Default);
        var evening = TextingWindow.Evaluate(At("2026-07-02T05:00:00Z"), alaska, null, TextingHours.Default);

        Assert.False(morning.Allowed);
        Assert.False(morning.LocalTimes[0].Open);
        Assert.True(morning.LocalTimes[1].Open);
        Assert.Equal(At("2026-07-01T18:00:00Z"), morning.NextAllowedAt);
        Assert.Equal(At("2026-07-02T05:00:00Z"), morning.WindowClosesAt);
        Assert.Equal(new TimeOnly(9, 0), morning.WindowStart);
        Assert.Equal(new TimeOnly(20, 0), morning.WindowEnd);
        Assert.False(evening.Allowed);
    }

    [Fact]
    public void A_South_Dakota_number_waits_for_Denver_and_stops_with_Central()
    {
        string[] southDakota = ["America/Denver", "America/North_Dakota/Center"];

        var lateCentral = TextingWindow.Evaluate(At("2026-07-02T02:30:00Z"), southDakota, null, TextingHours.Default);
        var midday = TextingWindow.Evaluate(At("2026-07-01T18:00:00Z"), southDakota, null, TextingHours.Default);

        Assert.False(lateCentral.Allowed);
        Assert.Equal(At("2026-07-02T09:00:00-06:00"), lateCentral.NextAllowedAt);
        Assert.True(midday.Allowed);
        Assert.Equal(At("2026-07-01T21:00:00-05:00"), midday.WindowClosesAt);
    }

    [Fact]
    public void Puerto_Rico_keeps_Atlantic_standard_time_all_year()
    {
        var winterMorning = At("2026-01-15T13:00:00Z");

        var puertoRico = TextingWindow.Evaluate(winterMorning, ["America/Puerto_Rico"], null, TextingHours.Default);
        var newYork = TextingWindow.Evaluate(winterMorning, NewYork, null, TextingHours.Default);
        var springForwardDay = TextingWindow.Evaluate(At("2026-03-08T12:59:59Z"), ["America/Puerto_Rico"], null, TextingHours.Default);

        Assert.True(puertoRico.Allowed);
        Assert.False(newYork.Allowed);
        Assert.Equal(At("2026-03-08T13:00:00Z"), springForwardDay.NextAllowedAt);
    }

    [Theory]
    [InlineData("2026-07-01T19:59:59-04:00", false)]
    [InlineData("2026-07-01T20:00:00-04:00", true)]
    [InlineData("2026-07-01T23:30:00-04:00", true)]
    [InlineData("2026-07-02T01:59:59-04:00", true)]
    [InlineData("2026-07-02T02:00:00-04:00", false)]
    [InlineData("2026-07-02T12:00:00-04:00", false)]
    public void A_window_may_cross_midnight(string instant, bool allowed)
    {
        var hours = new TextingHours(new TimeOnly(20, 0), new TimeOnly(2, 0));

        var decision = TextingWindow.Evaluate(At(instant), NewYork, null, hours);

        Assert.Equal(allowed, decision.Allowed);
    }

    [Fact]
    public void A_window_crossing_midnight_reports_its_local_start_and_end()
    {
        var hours = new TextingHours(new TimeOnly(20, 0), new TimeOnly(2, 0));

        var decision = TextingWindow.Evaluate(At("2026-07-02T02:00:00-04:00"), NewYork, null, hours);

        Assert.Equal(At("2026-07-02T20:00:00-04:00"), decision.NextAllowedAt);
        Assert.Equal(new TimeOnly(20, 0), decision.WindowStart);
        Assert.Equal(new TimeOnly(2, 0), decision.WindowEnd);
        Assert.Equal(At("2026-07-03T02:00:00-04:00"), decision.WindowClosesAt);
    }

    [Fact]
    public void Without_Sundays_a_Saturday_night_waits_until_Monday_morning()
    {
        var hours = TextingHours.Default with { Days = TextingDays.Everyday & ~TextingDays.Sunday };

        var saturdayNight = TextingWindow.Evaluate(At("2026-07-04T21:30:00-04:00"), NewYork, null, hours);
        var sundayNoon = TextingWindow.Evaluate(At("2026-07-05T12:00:00-04:00"), NewYork, null, hours);

        Assert.False(saturdayNight.Allowed);
        Assert.Equal(At("2026-07-06T09:00:00-04:00"), saturdayNight.NextAllowedAt);
        Assert.False(sundayNoon.Allowed);
        Assert.Equal(At("2026-07-06T09:00:00-04:00"), sundayNoon.NextAllowedAt);
    }

    [Theory]
    [InlineData("2026-07-05T01:00:00-04:00", true)] // early Sunday belongs to Saturday's window
    [InlineData("2026-07-05T20:30:00-04:00", false)] // Sunday's own window is off
    [InlineData("2026-07-06T01:00:00-04:00", false)] // and so is its tail on Monday morning
    public void A_window_crossing_midnight_belongs_to_the_day_it_starts(string instant, bool allowed)
    {
        var hours = new TextingHours(new TimeOnly(20, 0), new TimeOnly(2, 0), TextingDays.Everyday & ~TextingDays.Sunday);

        var decision = TextingWindow.Evaluate(At(instant), NewYork, null, hours);

        Assert.Equal(allowed, decision.Allowed);
        if (!allowed)
        {
            Assert.Equal(At("2026-07-06T20:00:00-04:00"), decision.NextAllowedAt);
        }
    }

    [Fact]
    public void A_Florida_contact_is_not_texted_at_8_30pm_under_the_default_hours()
    {
        var decision = TextingWindow.Evaluate(At("2026-06-30T20:30:00-04:00"), NewYork, "FL", TextingHours.Default);

        Assert.False(decision.Allowed);
        Assert.Equal(At("2026-07-01T09:00:00-04:00"), decision.NextAllowedAt);
        Assert.Equal(new TimeOnly(9, 0), decision.WindowStart);
        Assert.Equal(new TimeOnly(20, 0), decision.WindowEnd);
    }

    [Theory]
    [InlineData("FL")]
    [InlineData("OK")]
    [InlineData("MD")]
    [InlineData("WA")]
    [InlineData("fl")]
    public void The_default_state_table_stops_at_8pm_and_starts_no_earlier_than_8am(string state)
    {
        var hours = new TextingHours(new TimeOnly(7, 0), new TimeOnly(21, 0));

        var early = TextingWindow.Evaluate(At("2026-07-01T07:30:00-04:00"), NewYork, state, hours);
        var late = TextingWindow.Evaluate(At("2026-07-01T19:59:59-04:00"), NewYork, state, hours);

        Assert.False(early.Allowed);
        Assert.Equal(At("2026-07-01T08:00:00-04:00"), early.NextAllowedAt);
        Assert.True(late.Allowed);
        Assert.Equal(At("2026-07-01T20:00:00-04:00"), late.WindowClosesAt);
    }

    [Fact]
    public void A_state_without_a_rule_gets_the_campaign_hours()
    {
        var decision = TextingWindow.Evaluate(At("2026-06-30T20:30:00-04:00"), NewYork, "NY", TextingHours.Default);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void A_late_night_campaign_never_reaches_a_Florida_contact()
    {
        var hours = new TextingHours(new TimeOnly(20, 0), new TimeOnly(2, 0));

        var decision = TextingWindow.Evaluate(At("2026-07-01T12:00:00-04:00"), NewYork, "FL", hours);

        Assert.False(decision.Allowed);
        Assert.Null(decision.NextAllowedAt);
        Assert.Null(decision.WindowStart);
        Assert.Null(decision.WindowEnd);
    }

    [Fact]
    public void Zones_whose_windows_never_overlap_give_no_next_instant()
    {
        var officeHours = new TextingHours(new TimeOnly(9, 0), new TimeOnly(17, 0));

        var decision = TextingWindow.Evaluate(At("2026-07-01T12:00:00Z"), ["Asia/Tokyo", "America/New_York"], null, officeHours);

        Assert.False(decision.Allowed);
        Assert.Null(decision.NextAllowedAt);
    }

    [Fact]
    public void A_toll_free_number_is_open_only_while_all_its_zones_from_Guam_to_Newfoundland_are()
    {
        var tollFree = ContactTimeZoneResolver.Resolve(null, null, "+18005551212", "America/New_York");

        var decision = TextingWindow.Evaluate(At("2026-07-01T12:00:00Z"), tollFree, TextingHours.Default);

        // Guam opens at 23:00 UTC (09:00 ChST) and St. John's closes at 23:30 UTC (21:00 NDT): half an hour a day.
        Assert.True(tollFree.TimeZones.Count >= 40);
        Assert.False(decision.Allowed);
        Assert.Equal(At("2026-07-01T23:00:00Z"), decision.NextAllowedAt);
        Assert.Equal(At("2026-07-01T23:30:00Z"), decision.WindowClosesAt);
        var atNext = TextingWindow.Evaluate(decision.NextAllowedAt!.Value, tollFree, TextingHours.Default);
        Assert.True(atNext.Allowed);
        Assert.All(atNext.LocalTimes, t => Assert.True(t.Open, t.TimeZone));
    }

    [Fact]
    public void A_toll_free_number_is_never_open_under_office_hours()
    {
        var tollFree = ContactTimeZoneResolver.Resolve(null, null, "+18005551212", "America/New_York");

        var decision = TextingWindow.Evaluate(At("2026-07-01T12:00:00Z"), tollFree, new TextingHours(new TimeOnly(9, 0), new TimeOnly(17, 0)));

        Assert.Null(decision.NextAllowedAt);
    }

    [Fact]
    public void An_Oklahoma_area_code_brings_Oklahomas_hours_even_with_a_Texas_zip_code()
    {
        var oklahomaNumber = ContactTimeZoneResolver.Resolve(null, "75201", "+14055551234", "America/New_York");
        var texasNumber = ContactTimeZoneResolver.Resolve(null, "75201", "+12145551234", "America/New_York");
        var at = At("2026-07-01T20:30:00-05:00");

        var withPresumption = TextingWindow.Evaluate(at, oklahomaNumber, TextingHours.Default);
        var without = TextingWindow.Evaluate(at, texasNumber, TextingHours.Default);

        Assert.False(withPresumption.Allowed);
        Assert.True(without.Allowed);
    }

    [Fact]
    public void A_Maryland_area_code_does_not_override_a_Virginia_zip_code()
    {
        var contact = ContactTimeZoneResolver.Resolve(null, "22201", "+13015551234", "America/New_York");

        var decision = TextingWindow.Evaluate(At("2026-07-01T20:30:00-04:00"), contact, TextingHours.Default);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public void The_extended_table_keeps_Texas_quiet_on_Sunday_mornings()
    {
        var sundayMorning = At("2026-07-05T11:00:00-05:00");

        var extended = TextingWindow.Evaluate(sundayMorning, ["America/Chicago"], "TX", TextingHours.Default, StateTextingRules.Extended);
        var standard = TextingWindow.Evaluate(sundayMorning, ["America/Chicago"], "TX", TextingHours.Default);

        Assert.False(extended.Allowed);
        Assert.Equal(At("2026-07-05T12:00:00-05:00"), extended.NextAllowedAt);
        Assert.True(standard.Allowed);
    }

    [Fact]
    public void An_unknown_zone_is_a_bug_not_a_decision()
    {
        Assert.Throws<ArgumentException>(() => TextingWindow.Evaluate(At("2026-07-01T12:00:00Z"), ["Mars/Olympus"], null, TextingHours.Default));
        Assert.Throws<ArgumentException>(() => TextingWindow.Evaluate(At("2026-07-01T12:00:00Z"), [], null, TextingHours.Default));
    }

    public static TheoryData<string, string, string> DstWeeks => new()
    {
        { "2026-03-06T00:00:00Z", "02:30", "21:00" },
        { "2026-03-06T00:00:00Z", "20:00", "02:30" },
        { "2026-03-06T00:00:00Z", "09:00", "21:00" },
        { "2026-10-30T00:00:00Z", "20:00", "01:30" },
        { "2026-10-30T00:00:00Z", "01:30", "21:00" },
        { "2026-10-30T00:00:00Z", "09:00", "21:00" },
    };

    [Theory]
    [MemberData(nameof(DstWeeks))]
    public void Next_allowed_is_the_first_open_minute_found_by_brute_force_across_dst_changes(string weekStart, string start, string end)
    {
        var hours = new TextingHours(TimeOnly.Parse(start, CultureInfo.InvariantCulture), TimeOnly.Parse(end, CultureInfo.InvariantCulture));
        string[] zones = ["America/New_York", "America/Chicago"];
        var infos = zones.Select(TimeZoneInfo.FindSystemTimeZoneById).ToArray();
        bool AllOpen(DateTimeOffset t) => infos.All(z => hours.Contains(TimeZoneInfo.ConvertTime(t, z).DateTime));

        // Every boundary in these cases falls on a whole minute, so a minute-by-minute walk finds the true answer.
        for (var at = At(weekStart); at < At(weekStart).AddDays(4); at = at.AddMinutes(97))
        {
            var decision = TextingWindow.Evaluate(at, zones, null, hours);

            var expected = at;
            while (!AllOpen(expected))
            {
                expected = expected.AddMinutes(1);
            }

            Assert.Equal(expected, decision.NextAllowedAt);
            Assert.Equal(expected == at, decision.Allowed);
        }
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
