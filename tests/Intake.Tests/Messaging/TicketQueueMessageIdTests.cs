using Intake.Messaging;
using Intake.Triage;

namespace Intake.Tests.Messaging;

/// <summary>
/// The queue message ids, pinned byte for byte: Service Bus drops a message whose id it has seen, and handlers recognise
/// redeliveries by it, so a format that changed across a deploy would send twice or drop what was queued before it.
/// </summary>
public class TicketQueueMessageIdTests
{
    private const string Id = "01KAR7M3ZQ5V8X2N4P6RW7K2QX";
    private const string Reference = "T-W7K2QX";

    [Fact]
    public void A_new_ticket_is_named_by_the_provider_message_it_came_in()
    {
        var message = TicketQueueMessage.Created(Id, Reference, Urgency.High, "telegram", ("telegram", "u-1:42"));

        Assert.Equal(new TicketQueueMessage("telegram:u-1:42", Id, Reference, Urgency.High, "telegram", TicketEvent.Created), message);
    }

    [Fact]
    public void A_new_ticket_without_a_provider_id_is_named_by_the_ticket()
    {
        var message = TicketQueueMessage.Created(Id, Reference, Urgency.Low, "web", ("web", null));

        Assert.Equal(new TicketQueueMessage(Id + ":created:1", Id, Reference, Urgency.Low, "web", TicketEvent.Created), message);
    }

    [Fact]
    public void A_follow_up_is_named_by_the_channel_it_came_in_on_not_the_ticket_channel()
    {
        var message = TicketQueueMessage.CustomerReplied(Id, Reference, Urgency.Normal, "web", 3, ("email", "<a1@mail.example>"));

        Assert.Equal(new TicketQueueMessage("email:<a1@mail.example>", Id, Reference, Urgency.Normal, "web", TicketEvent.CustomerReplied), message);
    }

    [Fact]
    public void A_follow_up_without_a_provider_id_is_named_by_its_thread_entry()
    {
        var message = TicketQueueMessage.CustomerReplied(Id, Reference, Urgency.Normal, "web", 12, ("web", null));

        Assert.Equal(new TicketQueueMessage(Id + ":customer_replied:12", Id, Reference, Urgency.Normal, "web", TicketEvent.CustomerReplied), message);
    }

    [Fact]
    public void An_agent_reply_is_named_and_numbered_by_its_thread_entry()
    {
        var message = TicketQueueMessage.AgentReplied(Id, Reference, Urgency.Urgent, "email", 1234);

        Assert.Equal(new TicketQueueMessage(Id + ":agent_replied:1234", Id, Reference, Urgency.Urgent, "email", TicketEvent.AgentReplied, 1234), message);
    }

    [Fact]
    public void A_resolve_is_named_by_the_audit_count_and_carries_no_sequence()
    {
        var message = TicketQueueMessage.Resolved(Id, Reference, Urgency.Low, "messenger", 7);

        Assert.Equal(new TicketQueueMessage(Id + ":resolved:7", Id, Reference, Urgency.Low, "messenger", TicketEvent.Resolved), message);
    }

    [Fact]
    public void An_escalation_is_named_and_numbered_by_the_breaches_so_far()
    {
        var message = TicketQueueMessage.Escalated(Id, Reference, Urgency.High, "x", 2);

        Assert.Equal(new TicketQueueMessage(Id + ":escalated:2", Id, Reference, Urgency.High, "x", TicketEvent.Escalated, 2), message);
    }

    [Fact]
    public void A_survey_answer_to_thank_for_is_named_once_per_ticket_by_the_thank_you()
    {
        var message = TicketQueueMessage.SurveyAnswered(Id, Reference, Urgency.Normal, "whatsapp");

        Assert.Equal(new TicketQueueMessage(Id + ":survey_thanks", Id, Reference, Urgency.Normal, "whatsapp", TicketEvent.SurveyAnswered), message);
    }

    [Fact]
    public void A_low_score_to_follow_up_is_named_once_per_ticket()
    {
        var message = TicketQueueMessage.SurveyFollowUp(Id, Reference, Urgency.Normal, "instagram");

        Assert.Equal(new TicketQueueMessage(Id + ":survey_follow_up", Id, Reference, Urgency.Normal, "instagram", TicketEvent.SurveyFollowUp), message);
    }

    [Fact]
    public void The_body_of_a_message_on_the_queue_keeps_its_shape()
    {
        var message = TicketQueueMessage.AgentReplied(Id, Reference, Urgency.High, "email", 5);

        Assert.Equal(
            """{"messageId":"01KAR7M3ZQ5V8X2N4P6RW7K2QX:agent_replied:5","ticketId":"01KAR7M3ZQ5V8X2N4P6RW7K2QX","reference":"T-W7K2QX","urgency":"high","channel":"email","event":"agent_replied","sequence":5}""",
            message.ToJson());
    }
}
