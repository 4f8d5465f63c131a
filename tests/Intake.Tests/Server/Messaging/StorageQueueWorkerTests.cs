using Azure.Storage.Queues;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Storage;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Server.Messaging;

/// <summary>The server's queue worker, running in the real host over Azurite.</summary>
public sealed class StorageQueueWorkerTests(AzuriteFixture azurite) : IAsyncDisposable
{
    private readonly string _prefix = TestStorage.NewPrefix();
    private WebApplicationFactory<Program>? _factory;

    private IServiceProvider Start()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting(StorageAccount.ConnectionSetting, azurite.ConnectionString)
            .UseSetting("Storage:Prefix", _prefix)
            .UseSetting("Worker:IdleDelay", "00:00:00.050"));
        _ = _factory.Server; // starts the host, its storage initializer and the worker
        return _factory.Services;
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_ticket_is_acknowledged_once_even_when_its_message_is_delivered_twice()
    {
        var services = Start();
        var intake = services.GetRequiredService<TicketIntake>();
        var store = services.GetRequiredService<TicketStore>();
        var queue = services.GetRequiredService<StorageTicketQueue>();

        var accepted = await intake.AcceptAsync(
            new InboundMessage("telegram", new Contact("telegram", "chat-1"), "my withdrawal has been pending for 6 hours", ProviderMessageId: "u-1"),
            TestContext.Current.CancellationToken);
        var ack = await WaitForAsync(async () =>
            (await services.GetRequiredService<OutboundLog>().ListAsync(accepted.Ticket!.Id, TestContext.Current.CancellationToken)).SingleOrDefault(o => o.Status != OutboundStatus.Pending));

        // No Telegram sender is configured: recorded, not sent, and the text is on the thread for agents.
        Assert.Equal(OutboundStatus.NotConfigured, ack.Status);
        await queue.EnqueueAsync(
            new TicketQueueMessage("telegram:u-1", accepted.Ticket!.Id, accepted.Ticket.Reference, Urgency.High, "telegram", TicketEvent.Created),
            TestContext.Current.CancellationToken);
        await WaitForAsync(async () => await queue.ApproximateDepthAsync(TicketQueues.NameFor(Urgency.High), TestContext.Current.CancellationToken) == 0 ? "" : null);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        var messages = await store.GetMessagesAsync(accepted.Ticket.Id, TestContext.Current.CancellationToken);
        Assert.Equal([MessageDirection.Inbound, MessageDirection.Outbound], messages.Select(m => m.Direction));
        Assert.Contains(accepted.Ticket.Reference, messages[1].Text, StringComparison.Ordinal);
        Assert.Single(await services.GetRequiredService<OutboundLog>().ListAsync(accepted.Ticket.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unreadable_message_goes_to_the_poison_queue()
    {
        Start();
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var low = new QueueClient(azurite.ConnectionString, $"{_prefix}-{TicketQueues.NameFor(Urgency.Low)}", options);
        var poison = new QueueClient(azurite.ConnectionString, $"{_prefix}-{TicketQueues.PoisonNameFor(Urgency.Low)}", options);
        await WaitForAsync(async () => (await low.ExistsAsync(TestContext.Current.CancellationToken)).Value ? "" : null);

        await low.SendMessageAsync("this is not a ticket message", TestContext.Current.CancellationToken);

        var poisoned = await WaitForAsync(async () =>
            (await poison.PeekMessagesAsync(10, TestContext.Current.CancellationToken)).Value.FirstOrDefault()?.Body.ToString());
        Assert.Equal("this is not a ticket message", poisoned);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The worker did not get there in 10 seconds.");
    }
}
