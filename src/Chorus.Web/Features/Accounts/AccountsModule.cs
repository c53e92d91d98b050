namespace Chorus.Features.Accounts;

public static class AccountsModule
{
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<FirstRunSetupAnnouncer>();
        return builder;
    }
}
