using Chorus.Features.OptOuts;

namespace Chorus.UnitTests.Features.OptOuts;

public sealed class TextingHoursTests
{
    [Fact]
    public void The_default_is_9am_to_9pm_every_day_and_has_no_problems()
    {
        var hours = TextingHours.Default;

        Assert.Equal(new TimeOnly(9, 0), hours.Start);
        Assert.Equal(new TimeOnly(21, 0), hours.End);
        Assert.Equal(TextingDays.Everyday, hours.Days);
        Assert.Empty(hours.Validate());
    }

    [Fact]
    public void A_window_that_starts_when_it_ends_is_an_error()
    {
        var hours = new TextingHours(new TimeOnly(9, 0), new TimeOnly(9, 0));

        var problem = Assert.Single(hours.Validate());

        Assert.True(problem.IsError);
        Assert.Equal(nameof(TextingHours.End), problem.Field);
        Assert.Contains("09:00", problem.Message, StringComparison.Ordinal);
        Assert.False(hours.Contains(new DateTime(2026, 7, 1, 9, 0, 0)));
    }

    [Fact]
    public void Hours_without_any_day_are_an_error()
    {
        var hours = TextingHours.Default with { Days = TextingDays.None };

        var problem = Assert.Single(hours.Validate());

        Assert.True(problem.IsError);
        Assert.Equal(nameof(TextingHours.Days), problem.Field);
    }

    [Fact]
    public void Days_outside_the_week_are_an_error()
    {
        var hours = TextingHours.Default with { Days = (TextingDays)0x1FF };

        Assert.Contains(hours.Validate(), p => p.IsError && p.Field == nameof(TextingHours.Days));
    }

    [Theory]
    [InlineData(20, 2)]
    [InlineData(7, 21)]
    [InlineData(9, 22)]
    public void Hours_outside_8am_to_9pm_are_valid_with_a_warning(int start, int end)
    {
        var hours = new TextingHours(new TimeOnly(start, 0), new TimeOnly(end, 0));

        var problem = Assert.Single(hours.Validate());

        Assert.False(problem.IsError);
        Assert.Contains("64.1200(c)(1)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_end_before_the_start_crosses_midnight()
    {
        var hours = new TextingHours(new TimeOnly(20, 0), new TimeOnly(2, 0));

        Assert.True(hours.CrossesMidnight);
        Assert.True(hours.Contains(new DateTime(2026, 7, 1, 23, 59, 59)));
        Assert.True(hours.Contains(new DateTime(2026, 7, 2, 0, 0, 0)));
        Assert.False(hours.Contains(new DateTime(2026, 7, 2, 2, 0, 0)));
    }

    [Theory]
    [InlineData(DayOfWeek.Sunday, false)]
    [InlineData(DayOfWeek.Monday, true)]
    [InlineData(DayOfWeek.Saturday, false)]
    public void Weekdays_only_leave_out_weekends(DayOfWeek day, bool included)
    {
        Assert.Equal(included, TextingDays.Weekdays.Includes(day));
    }
}
