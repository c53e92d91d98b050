using Chorus.Features.Organizations;
using Chorus.Infrastructure.Http;

namespace Chorus.UnitTests.Features.Organizations;

public sealed class MemberRulesTests
{
    [Fact]
    public void Refuses_to_demote_the_last_owner()
    {
        var failure = MemberRules.CanChangeRole(OrgRole.Owner, OrgRole.Owner, OrgRole.Admin, ownerCount: 1);

        Assert.Equal(FailureKind.Conflict, failure?.Kind);
    }

    [Fact]
    public void Lets_an_owner_step_down_when_another_owner_remains()
    {
        var failure = MemberRules.CanChangeRole(OrgRole.Owner, OrgRole.Owner, OrgRole.Admin, ownerCount: 2);

        Assert.Null(failure);
    }

    [Theory]
    [InlineData(OrgRole.Texter, OrgRole.Owner)]
    [InlineData(OrgRole.Owner, OrgRole.Admin)]
    public void Only_an_owner_can_grant_or_take_away_ownership(OrgRole currentRole, OrgRole newRole)
    {
        var failure = MemberRules.CanChangeRole(OrgRole.Admin, currentRole, newRole, ownerCount: 3);

        Assert.Equal(FailureKind.Forbidden, failure?.Kind);
    }

    [Fact]
    public void An_admin_can_promote_a_texter_to_supervisor()
    {
        var failure = MemberRules.CanChangeRole(OrgRole.Admin, OrgRole.Texter, OrgRole.Supervisor, ownerCount: 1);

        Assert.Null(failure);
    }

    [Fact]
    public void Supervisors_cannot_change_roles()
    {
        var failure = MemberRules.CanChangeRole(OrgRole.Supervisor, OrgRole.Texter, OrgRole.Texter, ownerCount: 1);

        Assert.Equal(FailureKind.Forbidden, failure?.Kind);
    }

    [Fact]
    public void Refuses_to_remove_the_last_owner_even_for_an_owner()
    {
        var failure = MemberRules.CanRemove(OrgRole.Owner, OrgRole.Owner, ownerCount: 1);

        Assert.Equal(FailureKind.Conflict, failure?.Kind);
    }

    [Fact]
    public void An_admin_cannot_remove_an_owner()
    {
        var failure = MemberRules.CanRemove(OrgRole.Admin, OrgRole.Owner, ownerCount: 2);

        Assert.Equal(FailureKind.Forbidden, failure?.Kind);
    }
}
