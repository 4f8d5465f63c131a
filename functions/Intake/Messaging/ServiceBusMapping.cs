using System.Security.Cryptography;
using System.Text;
using Intake.Triage;

namespace Intake.Messaging;

/// <summary>
/// What <c>ServiceBusTicketQueue</c> (in <c>Intake.Functions</c>) sends for a ticket message: the queue, a
/// <c>MessageId</c> for duplicate detection, the event as <c>Subject</c>, ids as application properties, and the
/// message's JSON as the body — never customer text.
/// </summary>
public sealed record OutgoingServiceBusMessage(
    string QueueName, string MessageId, string Subject, string ContentType, BinaryData Body, IReadOnlyDictionary<string, object> Properties);

public static class ServiceBusMapping
{
    /// <summary>The app setting that holds the Service Bus connection (a connection string, or <c>__fullyQualifiedNamespace</c>).</summary>
    public const string ConnectionSetting = "ServiceBusConnection";

    public const string ContentType = "application/json";

    /// <summary>Service Bus refuses a longer <c>MessageId</c>.</summary>
    public const int MaxMessageIdLength = 128;

    public static OutgoingServiceBusMessage ToOutgoing(TicketQueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new OutgoingServiceBusMessage(
            TicketQueues.NameFor(message.Urgency),
            MessageIdFor(message.MessageId),
            EventName(message.Event),
            ContentType,
            BinaryData.FromString(message.ToJson()),
            new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["urgency"] = message.Urgency.ToName(),
                ["channel"] = message.Channel,
                ["ticketId"] = message.TicketId,
            });
    }

    /// <summary>
    /// The message's own deterministic id when it fits; a longer one (a provider id can be long) keeps its start for
    /// reading and ends in the SHA-256 of the whole, so the same message always gets the same id and two never share one.
    /// </summary>
    public static string MessageIdFor(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        if (messageId.Length <= MaxMessageIdLength)
        {
            return messageId;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)));
        return string.Concat(messageId.AsSpan(0, MaxMessageIdLength - hash.Length - 1), "#", hash);
    }

    public static string EventName(TicketEvent ticketEvent) => ticketEvent switch
    {
        TicketEvent.Created => "created",
        TicketEvent.CustomerReplied => "customer_replied",
        TicketEvent.Escalated => "escalated",
        TicketEvent.AgentReplied => "agent_replied",
        TicketEvent.Resolved => "resolved",
        TicketEvent.SurveyFollowUp => "survey_follow_up",
        TicketEvent.SurveyAnswered => "survey_answered",
        _ => throw new ArgumentOutOfRangeException(nameof(ticketEvent), ticketEvent, null),
    };
}
