using Chorus.Features.Organizations;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// The organization a request (or a unit of work) acts in, set once the caller's membership is resolved.
/// Scoped: each request, each Blazor operation scope and each worker pass has its own.
/// </summary>
public sealed class CurrentOrganization
{
    public Guid? Id { get; private set; }
    public string? Slug { get; private set; }
    public OrgRole? Role { get; private set; }

    public void Set(Guid id, string slug, OrgRole? role)
    {
        if (Id is { } existing && existing != id)
        {
            throw new InvalidOperationException("A scope acts for one organization only.");
        }

        Id = id;
        Slug = slug;
        Role = role;
    }
}
