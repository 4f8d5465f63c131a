using Azure.Messaging.ServiceBus;
using Intake.Functions;
using Intake.Messaging;
using Intake.Tests.Fakes;
using Intake.Triage;

namespace Intake.Tests.Messaging;

/// <summary>
/// <see cref="ServiceBusTicketQueue"/> against the real Azure.Messaging.ServiceBus types: what it hands the SDK's sender for a
/// ticket message, and what a refusal becomes.
/// </summary>
public class ServiceBusTicketQueueTests
{
    private static readonly TicketQueueMessage Message =
        new("01KAR7M3ZQ5V8X2N4P6RW7K2QX:agent_replied:3", "01KAR7M3ZQ5V8X2N4P6RW7K2QX", "T-W7K2QX", Urgency.Urgent, "telegram", TicketEvent.AgentReplied, 3);

    [Fact]
    public async Task A_ticket_message_goes_to_its_urgencys_queue_with_a_deterministic_id_its_event_and_ids_only()
    {
        var bus = new FakeServiceBus();
        await using var queue = new ServiceBusTicketQueue(bus);

        await queue.EnqueueAsync(Message, TestContext.Current.CancellationToken);

        var sent = Assert.Single(bus.SentTo("tickets-urgent"));
        Assert.Equal("01KAR7M3ZQ5V8X2N4P6RW7K2QX:agent_replied:3", sent.MessageId);
        Assert.Equal("agent_replied", sent.Subject);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(default, sent.ScheduledEnqueueTime);
        Assert.Equal("urgent", sent.ApplicationProperties["urgency"]);
        Assert.Equal("telegram", sent.ApplicationProperties["channel"]);
        Assert.Equal("01KAR7M3ZQ5V8X2N4P6RW7K2QX", sent.ApplicationProperties["ticketId"]);
        Assert.True(TicketQueueMessage.TryParse(sent.Body.ToString(), out var parsed));
        Assert.Equal(Message, parsed);
    }

    [Fact]
    public async Task The_same_message_enqueued_twice_carries_the_same_id_so_duplicate_detection_drops_the_second()
    {
        var bus = new FakeServiceBus();
        await using var queue = new ServiceBusTicketQueue(bus);

        await queue.EnqueueAsync(Message, TestContext.Current.CancellationToken);
        await queue.EnqueueAsync(Message, TestContext.Current.CancellationToken);

        var sent = bus.SentTo("tickets-urgent");
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].MessageId, sent[1].MessageId);
    }

    [Fact]
    public async Task An_overlong_provider_id_is_shortened_to_what_service_bus_accepts_and_stays_the_same()
    {
        var bus = new FakeServiceBus();
        await using var queue = new ServiceBusTicketQueue(bus);
        var message = Message with { MessageId = "email:" + new string('m', 300) };

        await queue.EnqueueAsync(message, TestContext.Current.CancellationToken);
        await queue.EnqueueAsync(message, TestContext.Current.CancellationToken);

        var sent = bus.SentTo("tickets-urgent");
        Assert.All(sent, m => Assert.InRange(m.MessageId.Length, 1, ServiceBusMapping.MaxMessageIdLength));
        Assert.Equal(sent[0].MessageId, sent[1].MessageId);
    }

    [Theory]
    [InlineData(ServiceBusFailureReason.ServiceBusy, true)]
    [InlineData(ServiceBusFailureReason.ServiceTimeout, true)]
    [InlineData(ServiceBusFailureReason.ServiceCommunicationProblem, true)]
    [InlineData(ServiceBusFailureReason.QuotaExceeded, true)]
    [InlineData(ServiceBusFailureReason.MessagingEntityNotFound, false)]
    [InlineData(ServiceBusFailureReason.MessagingEntityDisabled, false)]
    public async Task A_refusal_says_which_queue_and_whether_waiting_helps(ServiceBusFailureReason reason, bool transient)
    {
        var bus = new FakeServiceBus();
        await using var queue = new ServiceBusTicketQueue(bus);
        bus.FailNext(new ServiceBusException("refused", reason));

        var ex = await Assert.ThrowsAsync<TicketQueueUnavailableException>(() => queue.EnqueueAsync(Message, TestContext.Current.CancellationToken));

        Assert.Equal("tickets-urgent", ex.Queue);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Contains(reason.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains(Message.MessageId, ex.Message, StringComparison.Ordinal);
        Assert.IsType<ServiceBusException>(ex.InnerException);
    }

    [Fact]
    public async Task A_namespace_that_refuses_the_apps_identity_is_an_operators_problem()
    {
        var bus = new FakeServiceBus();
        await using var queue = new ServiceBusTicketQueue(bus);
        bus.FailNext(new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required to perform this operation."));

        var ex = await Assert.ThrowsAsync<TicketQueueUnavailableException>(() => queue.EnqueueAsync(Message, TestContext.Current.CancellationToken));

        Assert.False(ex.IsTransient);
        Assert.Contains("operator", ex.Message, StringComparison.Ordinal);
    }
}
