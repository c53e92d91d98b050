using Chorus.Features.Organizations;

namespace Chorus.UnitTests.Features.Organizations;

public sealed class SlugTests
{
    [Theory]
    [InlineData("Friends of María", "friends-of-maria")]
    [InlineData("  Vote YES on Prop 12!! ", "vote-yes-on-prop-12")]
    [InlineData("Ünïcode — Çampaign", "unicode-campaign")]
    [InlineData("!!!", "org")]
    [InlineData("日本語", "org")]
    public void Turns_a_name_into_a_lowercase_hyphenated_ascii_slug(string name, string expected)
    {
        var slug = Organization.SlugFrom(name);

        Assert.Equal(expected, slug);
    }

    [Fact]
    public void Leaves_room_for_a_numeric_suffix_on_long_names()
    {
        var slug = Organization.SlugFrom(new string('a', 200));

        Assert.True(slug.Length <= Organization.MaxSlugLength - 6);
    }
}
