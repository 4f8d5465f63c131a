using System.Text.Json;
using Intake.Messaging;
using Intake.Triage;

namespace Intake.Tests.Messaging;

/// <summary>What the Service Bus ticket queue sends for a ticket message.</summary>
public class ServiceBusMappingTests
{
    private static readonly TicketQueueMessage Message =
        new("telegram:918273645", "01KAR7M3ZQ5V8X2N4P6RW7K2QX", "T-W7K2QX", Urgency.High, "telegram", TicketEvent.Created);

    [Fact]
    public void Goes_to_the_queue_of_its_urgency()
    {
        Assert.Equal(
            ["tickets-urgent", "tickets-high", "tickets-normal", "tickets-low"],
            TicketQueues.ByPriority.Select(u => ServiceBusMapping.ToOutgoing(Message with { Urgency = u }).QueueName));
    }

    [Fact]
    public void Keeps_the_deterministic_message_id_for_duplicate_detection()
    {
        var outgoing = ServiceBusMapping.ToOutgoing(Message);

        Assert.Equal("telegram:918273645", outgoing.MessageId);
        Assert.Equal(outgoing.MessageId, ServiceBusMapping.ToOutgoing(Message).MessageId);
    }

    [Fact]
    public void Names_the_event_as_subject_and_sends_json()
    {
        Assert.Equal("created", ServiceBusMapping.ToOutgoing(Message).Subject);
        Assert.Equal("customer_replied", ServiceBusMapping.ToOutgoing(Message with { Event = TicketEvent.CustomerReplied }).Subject);
        Assert.Equal("escalated", ServiceBusMapping.ToOutgoing(Message with { Event = TicketEvent.Escalated }).Subject);
        Assert.Equal("application/json", ServiceBusMapping.ToOutgoing(Message).ContentType);
    }

    [Fact]
    public void Subject_is_the_event_as_the_body_spells_it()
    {
        foreach (var ticketEvent in Enum.GetValues<TicketEvent>())
        {
            var outgoing = ServiceBusMapping.ToOutgoing(Message with { Event = ticketEvent });

            using var body = JsonDocument.Parse(outgoing.Body.ToString());
            Assert.Equal(body.RootElement.GetProperty("event").GetString(), outgoing.Subject);
        }
    }

    [Fact]
    public void Carries_urgency_channel_and_ticket_id_as_properties()
    {
        var properties = ServiceBusMapping.ToOutgoing(Message).Properties;

        Assert.Equal(3, properties.Count);
        Assert.Equal("high", properties["urgency"]);
        Assert.Equal("telegram", properties["channel"]);
        Assert.Equal("01KAR7M3ZQ5V8X2N4P6RW7K2QX", properties["ticketId"]);
    }

    [Fact]
    public void Body_is_the_message_json_that_the_worker_reads_back()
    {
        var outgoing = ServiceBusMapping.ToOutgoing(Message);

        Assert.Equal(Message.ToJson(), outgoing.Body.ToString());
        Assert.True(TicketQueueMessage.TryParse(outgoing.Body.ToString(), out var parsed));
        Assert.Equal(Message, parsed);
    }

    [Fact]
    public void A_message_id_over_128_characters_is_hashed_stably_to_128()
    {
        var longId = "email:<" + new string('a', 300) + "@mail.example>";
        var other = "email:<" + new string('a', 299) + "b@mail.example>";

        var id = ServiceBusMapping.MessageIdFor(longId);

        Assert.Equal(128, id.Length);
        Assert.StartsWith("email:<aaaa", id, StringComparison.Ordinal);
        Assert.Equal(id, ServiceBusMapping.MessageIdFor(longId));
        Assert.NotEqual(id, ServiceBusMapping.MessageIdFor(other));
        Assert.Equal(id, ServiceBusMapping.ToOutgoing(Message with { MessageId = longId }).MessageId);
    }

    [Fact]
    public void A_message_id_of_exactly_128_characters_is_kept()
    {
        var id = new string('x', 128);

        Assert.Equal(id, ServiceBusMapping.MessageIdFor(id));
    }
}
