using Chorus.Infrastructure.Http;

namespace Chorus.Features.Organizations;

/// <summary>Who may change whose role. Pure, so the rules are unit-tested without a database.</summary>
public static class MemberRules
{
    public static Failure? CanChangeRole(OrgRole actorRole, OrgRole currentRole, OrgRole newRole, int ownerCount)
    {
        if (actorRole < OrgRole.Admin)
        {
            return Failure.Forbidden("Only admins and owners can change roles.");
        }

        if ((currentRole == OrgRole.Owner || newRole == OrgRole.Owner) && actorRole != OrgRole.Owner)
        {
            return Failure.Forbidden("Only an owner can make someone an owner or change an owner's role.");
        }

        if (currentRole == OrgRole.Owner && newRole != OrgRole.Owner && ownerCount <= 1)
        {
            return Failure.Conflict("An organization must keep at least one owner. Make someone else an owner first.");
        }

        return null;
    }

    public static Failure? CanRemove(OrgRole actorRole, OrgRole memberRole, int ownerCount)
    {
        if (actorRole < OrgRole.Admin)
        {
            return Failure.Forbidden("Only admins and owners can remove members.");
        }

        if (memberRole == OrgRole.Owner && actorRole != OrgRole.Owner)
        {
            return Failure.Forbidden("Only an owner can remove an owner.");
        }

        if (memberRole == OrgRole.Owner && ownerCount <= 1)
        {
            return Failure.Conflict("An organization must keep at least one owner. Make someone else an owner first.");
        }

        return null;
    }
}
