using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Organizations;

public static class ListJoinLinks
{
    public static Task<List<JoinLink>> ExecuteAsync(AppDbContext db, CancellationToken ct) =>
        db.JoinLinks.AsNoTracking().OrderByDescending(l => l.CreatedUtc).ToListAsync(ct);

    public static async Task<List<CreateJoinLink.Response>> HandleAsync(AppDbContext db, IOptions<ChorusOptions> options, HttpRequest http, CancellationToken ct)
    {
        var baseUrl = options.Value.BaseUrlFor(http);
        return [.. (await ExecuteAsync(db, ct)).Select(l => CreateJoinLink.ToResponse(l, baseUrl))];
    }
}
