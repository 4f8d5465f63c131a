using System.Text.Json;
using System.Text.Json.Serialization;
using Intake.Triage;

namespace Intake.Messaging;

/// <summary>What happened to a ticket that a worker must act on.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TicketEvent>))]
public enum TicketEvent
{
    [JsonStringEnumMemberName("created")] Created,
    [JsonStringEnumMemberName("customer_replied")] CustomerReplied,
    [JsonStringEnumMemberName("escalated")] Escalated,

    /// <summary>An agent's reply was recorded; the worker sends it (<see cref="TicketQueueMessage.Sequence"/> names it).</summary>
    [JsonStringEnumMemberName("agent_replied")] AgentReplied,

    /// <summary>An agent resolved the ticket; the worker sends its survey (once per ticket, whatever the number of resolves).</summary>
    [JsonStringEnumMemberName("resolved")] Resolved,

    /// <summary>The customer scored the survey 1 or 2; the worker tells the escalation channel (once per ticket).</summary>
    [JsonStringEnumMemberName("survey_follow_up")] SurveyFollowUp,

    /// <summary>The customer answered the survey on Messenger, Instagram, WhatsApp or X; the worker thanks them (once per ticket).</summary>
    [JsonStringEnumMemberName("survey_answered")] SurveyAnswered,
}

/// <summary>
/// A queue message: ids only, never customer text (the worker loads the ticket). <see cref="MessageId"/> is
/// deterministic — <c>{channel}:{provider message id}</c> or <c>{ticketId}:{event}:{n}</c> — so Service Bus can
/// drop duplicates and handlers can recognise redeliveries. <see cref="Sequence"/> names the thread entry an event is
/// about (an agent's reply: outbound record <c>reply:{n}</c>), and is absent for the others.
/// </summary>
public sealed record TicketQueueMessage(
    string MessageId, string TicketId, string Reference, Urgency Urgency, string Channel, TicketEvent Event,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Sequence = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, TicketQueueJsonContext.Default.TicketQueueMessage);

    public static bool TryParse(string json, out TicketQueueMessage? message)
    {
        try
        {
            message = JsonSerializer.Deserialize(json, TicketQueueJsonContext.Default.TicketQueueMessage);
            return message is { MessageId.Length: > 0, TicketId.Length: > 0 };
        }
        catch (JsonException)
        {
            message = null;
            return false;
        }
    }
}

/// <summary>The seam between intake and the workers: Storage queues on one machine, Service Bus in Azure.</summary>
public interface ITicketQueue
{
    Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken);
}

public static class TicketQueues
{
    public const int MaxDeliveries = 5;

    /// <summary>Most urgent first: the order in which workers drain them.</summary>
    public static IReadOnlyList<Urgency> ByPriority { get; } = [Urgency.Urgent, Urgency.High, Urgency.Normal, Urgency.Low];

    public static string NameFor(Urgency urgency) => "tickets-" + urgency.ToName();

    public static string PoisonNameFor(Urgency urgency) => NameFor(urgency) + "-poison";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TicketQueueMessage))]
internal sealed partial class TicketQueueJsonContext : JsonSerializerContext;

/// <summary>
/// A ticket queue refused or could not take a message: <see cref="IsTransient"/> when trying again later may succeed (the
/// service is busy, unreachable or over quota), false when only an operator can fix it (the queue does not exist, is
/// disabled, or the app may not send to it). The message is named by id only.
/// </summary>
public sealed class TicketQueueUnavailableException : Exception
{
    public TicketQueueUnavailableException()
    {
        Queue = "";
    }

    public TicketQueueUnavailableException(string message)
        : base(message)
    {
        Queue = "";
    }

    public TicketQueueUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Queue = "";
    }

    public TicketQueueUnavailableException(string queue, bool isTransient, string message, Exception innerException)
        : base(message, innerException)
    {
        Queue = queue;
        IsTransient = isTransient;
    }

    public string Queue { get; }

    public bool IsTransient { get; }
}
