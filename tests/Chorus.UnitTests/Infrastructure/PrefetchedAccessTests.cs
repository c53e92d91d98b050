using Chorus.Features.Organizations;
using Chorus.Infrastructure.Auth;
using Microsoft.AspNetCore.Http;

namespace Chorus.UnitTests.Infrastructure;

public sealed class PrefetchedAccessTests
{
    private static readonly Guid User = Guid.NewGuid();
    private static readonly OrganizationAccess Texter = new(Guid.NewGuid(), "harbor-votes", "Harbor Votes", OrgRole.Texter);

    [Fact]
    public void A_standing_read_with_the_token_is_recalled_for_the_same_user_and_organization()
    {
        var http = new DefaultHttpContext();
        PrefetchedAccess.Remember(http, User, "harbor-votes", Texter);

        Assert.True(PrefetchedAccess.TryRecall(http, User, "harbor-votes", out var access));
        Assert.Equal(Texter, access);
    }

    [Fact]
    public void Not_being_a_member_is_recalled_too_so_the_role_check_answers_without_asking_again()
    {
        var http = new DefaultHttpContext();
        PrefetchedAccess.Remember(http, User, "harbor-votes", null);

        Assert.True(PrefetchedAccess.TryRecall(http, User, "harbor-votes", out var access));
        Assert.Null(access);
    }

    [Theory]
    [InlineData(false, "harbor-votes")]
    [InlineData(true, "other-campaign")]
    [InlineData(true, "Harbor-Votes")]
    public void A_standing_is_never_recalled_for_another_user_or_organization(bool sameUser, string slug)
    {
        var http = new DefaultHttpContext();
        PrefetchedAccess.Remember(http, User, "harbor-votes", Texter);

        Assert.False(PrefetchedAccess.TryRecall(http, sameUser ? User : Guid.NewGuid(), slug, out var access));
        Assert.Null(access);
    }

    [Fact]
    public void A_request_whose_token_read_nothing_recalls_nothing()
    {
        Assert.False(PrefetchedAccess.TryRecall(new DefaultHttpContext(), User, "harbor-votes", out var access));
        Assert.Null(access);
    }
}
