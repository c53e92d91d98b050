namespace Chorus.Features.Organizations;

/// <summary>Roles in an organization, ordered: each role may do everything the roles below it may.</summary>
public enum OrgRole
{
    Texter = 0,
    Supervisor = 1,
    Admin = 2,
    Owner = 3,
}
