using Chorus.Features.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using MudBlazor.Services;

namespace Chorus.Components;

public static class UiModule
{
    public static WebApplicationBuilder AddUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            o.SnackbarConfiguration.PreventDuplicates = true;
            o.SnackbarConfiguration.ShowCloseIcon = true;
            o.SnackbarConfiguration.VisibleStateDuration = 5000;
        });
        builder.Services.AddScoped<OrgScopes>();
        builder.Services.AddScoped<BrowserTime>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        return builder;
    }

    public static WebApplication MapUi(this WebApplication app)
    {
        app.MapStaticAssets();

        // Signing out changes the cookie, so it is a POST that carries an antiforgery token, and it lives outside
        // Blazor, which can't write cookies from an interactive circuit. The token is checked here because the
        // antiforgery middleware only records its verdict (and skips non-form posts such as enctype="text/plain"),
        // and this endpoint binds no form field that would make the framework enforce it.
        app.MapPost("/account/logout", async Task<Results<RedirectHttpResult, BadRequest>> (HttpContext http, IAntiforgery antiforgery, SignInManager<AppUser> signIn) =>
            {
                if (!await antiforgery.IsRequestValidAsync(http))
                {
                    return TypedResults.BadRequest();
                }

                await signIn.SignOutAsync();
                return TypedResults.LocalRedirect("/account/login");
            })
            .ExcludeFromDescription();

        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
        return app;
    }
}
