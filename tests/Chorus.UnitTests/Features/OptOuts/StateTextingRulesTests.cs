using Chorus.Features.OptOuts;

namespace Chorus.UnitTests.Features.OptOuts;

public sealed class StateTextingRulesTests
{
    [Fact]
    public void The_default_table_has_Florida_Oklahoma_Maryland_and_Washington_at_8am_to_8pm()
    {
        var states = StateTextingRules.Default.Rules.Select(r => r.State).Order(StringComparer.Ordinal);

        Assert.Equal(["FL", "MD", "OK", "WA"], states);
        Assert.All(StateTextingRules.Default.Rules, rule =>
        {
            var window = Assert.Single(rule.Windows);
            Assert.Equal(new TimeOnly(8, 0), window.Start);
            Assert.Equal(new TimeOnly(20, 0), window.End);
            Assert.Equal(TextingDays.Everyday, window.Days);
            Assert.Contains("DOMAIN.md", rule.Source, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Florida_and_Oklahoma_presume_residence_from_the_area_code()
    {
        var presuming = StateTextingRules.Default.Rules.Where(r => r.PresumesResidenceFromAreaCode).Select(r => r.State).Order(StringComparer.Ordinal);

        Assert.Equal(["FL", "OK"], presuming);
    }

    [Fact]
    public void The_extended_table_adds_the_other_states_and_keeps_the_default_ones()
    {
        var extended = StateTextingRules.Extended;

        Assert.All(StateTextingRules.Default.Rules, r => Assert.Same(r, extended.For(r.State)));
        Assert.False(extended.For("MS")!.Contains(new DateTime(2026, 7, 5, 12, 0, 0)));
        Assert.True(extended.For("MS")!.Contains(new DateTime(2026, 7, 6, 12, 0, 0)));
        Assert.False(extended.For("RI")!.Contains(new DateTime(2026, 7, 4, 17, 30, 0)));
        Assert.True(extended.For("RI")!.Contains(new DateTime(2026, 7, 6, 17, 30, 0)));
    }

    [Fact]
    public void The_residence_state_applies_and_a_presuming_area_code_state_is_added()
    {
        var rules = StateTextingRules.Default;

        Assert.Equal(["OK"], rules.ApplicableTo("TX", "OK").Select(r => r.State));
        Assert.Equal(["MD", "FL"], rules.ApplicableTo("MD", "FL").Select(r => r.State));
        Assert.Equal(["WA"], rules.ApplicableTo(null, "WA").Select(r => r.State));
        Assert.Empty(rules.ApplicableTo("VA", "MD"));
        Assert.Single(rules.ApplicableTo("OK", "OK"));
    }

    [Fact]
    public void A_window_that_crosses_midnight_is_refused_in_a_state_table()
    {
        var crossing = new StateTextingRule("ZZ", [new StateWindow(TextingDays.Everyday, new TimeOnly(20, 0), new TimeOnly(2, 0))], false, "test");

        Assert.Throws<ArgumentException>(() => new StateTextingRules([crossing]));
    }
}
