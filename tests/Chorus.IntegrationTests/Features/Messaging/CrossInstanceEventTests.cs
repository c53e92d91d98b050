using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Events;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Messaging;

public sealed class CrossInstanceEventTests
{
    [Fact]
    public async Task On_postgresql_a_reply_received_by_one_instance_reaches_the_screens_of_another()
    {
        await using var first = await ChorusApp.StartAsync(DatabaseProvider.Postgres);
        await using var second = new ChorusApp(DatabaseProvider.Postgres, first.ConnectionString);
        second.StartServer();
        await second.Services.GetRequiredService<PostgresMessageEventListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var org = await first.Seed.OrganizationAsync();
        var contactId = await ContactAsync(first, org, await CampaignAsync(first, org), "+12124567890");
        await QueueAsync(first, org, contactId);
        await DispatchAsync(first);
        using var screen = second.Services.GetRequiredService<IMessageEvents>().Subscribe(org.Id);

        (await PostWebhookAsync(first, $"/webhooks/simulator/{org.Slug}/inbound", Inbound("SMx", "+12124567890", "+12025550100", "On my way"), await SimulatorTokenAsync(first, org)))
            .EnsureSuccessStatusCode();
        var heard = await screen.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal("inbound", heard.Kind);
        Assert.Equal(contactId, heard.ContactId);
        Assert.Equal((await MessagesAsync(first, org.Id)).Single(m => m.Direction == MessageDirection.Inbound).Id, heard.MessageId);
    }
}
