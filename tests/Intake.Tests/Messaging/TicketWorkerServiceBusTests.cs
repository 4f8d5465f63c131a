using System.Net.Http.Json;
using Intake.Channels.WebForm;
using Intake.Messaging;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Messaging;

/// <summary>The body a Service Bus trigger hands to the ticket worker.</summary>
public class TicketWorkerServiceBusTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"messageId\":\"web:1\"}")]
    public async Task An_unreadable_body_throws_so_that_it_is_retried_and_dead_lettered(string body)
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        var worker = host.Services.GetRequiredService<TicketWorker>();

        await Assert.ThrowsAsync<InvalidDataException>(
            () => worker.HandleServiceBusBodyAsync(BinaryData.FromString(body), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_readable_body_is_acknowledged_once_however_often_it_is_delivered()
    {
        // The server's own worker is off: only the Service Bus path below handles the ticket.
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Worker:Enabled"] = "false" });
        using var client = host.CreateClient();
        using var response = await client.PostAsJsonAsync(
            new Uri("/api/intake/web", UriKind.Relative),
            new { message = "My withdrawal has been pending for three hours", email = "sam@example.com" },
            TestContext.Current.CancellationToken);
        var accepted = (await response.Content.ReadFromJsonAsync<WebFormAccepted>(TestContext.Current.CancellationToken))!;
        var ticket = (await host.Services.GetRequiredService<TicketStore>().GetAsync(accepted.TicketId, TestContext.Current.CancellationToken))!.Ticket;
        var body = ServiceBusMapping.ToOutgoing(new TicketQueueMessage("web:sb-1", ticket.Id, ticket.Reference, ticket.Urgency, "web", TicketEvent.Created)).Body;
        var worker = host.Services.GetRequiredService<TicketWorker>();

        await worker.HandleServiceBusBodyAsync(body, TestContext.Current.CancellationToken);
        await worker.HandleServiceBusBodyAsync(body, TestContext.Current.CancellationToken);

        var mail = Assert.Single(host.SendGrid.Mails);
        Assert.Equal("sam@example.com", mail.ToEmail);
        Assert.Contains(accepted.Reference, mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_naming_a_ticket_that_does_not_exist_completes()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        var worker = host.Services.GetRequiredService<TicketWorker>();
        var message = new TicketQueueMessage("web:gone", "01KAR7M3ZQ5V8X2N4P6RW7K2QX", "T-W7K2QX", Urgency.Low, "web", TicketEvent.Created);

        // Logged and completed, not retried: the same as the server's worker.
        await worker.HandleServiceBusBodyAsync(ServiceBusMapping.ToOutgoing(message).Body, TestContext.Current.CancellationToken);
    }
}
