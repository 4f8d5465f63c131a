using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Intake.Storage;
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
    /// <summary>
    /// A new ticket: <c>{channel}:{provider message id}</c> when the provider gave its message an id (a redelivered
    /// webhook is dropped as a duplicate), else <c>{ticketId}:created:1</c>. <paramref name="received"/> is the channel
    /// the message came in on and the provider's id.
    /// </summary>
    public static TicketQueueMessage Created(string ticketId, string reference, Urgency urgency, string channel, (string Channel, string? Id) received) =>
        new(FromProvider(received) ?? $"{ticketId}:created:1", ticketId, reference, urgency, channel, TicketEvent.Created);

    /// <summary>
    /// A customer's follow-up, thread entry <paramref name="sequence"/>: <c>{channel}:{provider message id}</c> as for
    /// <see cref="Created"/>, else <c>{ticketId}:customer_replied:{n}</c>.
    /// </summary>
    public static TicketQueueMessage CustomerReplied(string ticketId, string reference, Urgency urgency, string channel, int sequence, (string Channel, string? Id) received) =>
        new(FromProvider(received) ?? $"{ticketId}:customer_replied:{Number(sequence)}", ticketId, reference, urgency, channel, TicketEvent.CustomerReplied);

    /// <summary>An agent's reply, thread entry <paramref name="sequence"/>: <c>{ticketId}:agent_replied:{n}</c>, the entry in <see cref="Sequence"/>.</summary>
    public static TicketQueueMessage AgentReplied(string ticketId, string reference, Urgency urgency, string channel, int sequence) =>
        new($"{ticketId}:agent_replied:{Number(sequence)}", ticketId, reference, urgency, channel, TicketEvent.AgentReplied, sequence);

    /// <summary>A resolve: <c>{ticketId}:resolved:{n}</c>, n the ticket's audit count after the change, so each resolve has its own id.</summary>
    public static TicketQueueMessage Resolved(string ticketId, string reference, Urgency urgency, string channel, int eventCount) =>
        new($"{ticketId}:resolved:{Number(eventCount)}", ticketId, reference, urgency, channel, TicketEvent.Resolved);

    /// <summary>An escalation: <c>{ticketId}:escalated:{n}</c>, n the breaches recorded so far, also in <see cref="Sequence"/>.</summary>
    public static TicketQueueMessage Escalated(string ticketId, string reference, Urgency urgency, string channel, int breaches) =>
        new($"{ticketId}:escalated:{Number(breaches)}", ticketId, reference, urgency, channel, TicketEvent.Escalated, breaches);

    /// <summary>
    /// An SLA warning to announce: <c>{ticketId}:warned:{n}</c>, n the warnings recorded so far; handled as an escalation
    /// (the worker announces what the ticket's SLA events call for, each notice once).
    /// </summary>
    public static TicketQueueMessage Warned(string ticketId, string reference, Urgency urgency, string channel, int warnings) =>
        new($"{ticketId}:warned:{Number(warnings)}", ticketId, reference, urgency, channel, TicketEvent.Escalated);

    /// <summary>A survey answer to thank for: <c>{ticketId}:survey_thanks</c>, once per ticket (the thank-you's outbound key).</summary>
    public static TicketQueueMessage SurveyAnswered(string ticketId, string reference, Urgency urgency, string channel) =>
        new($"{ticketId}:survey_thanks", ticketId, reference, urgency, channel, TicketEvent.SurveyAnswered);

    /// <summary>A low score to follow up: <c>{ticketId}:survey_follow_up</c>, once per ticket.</summary>
    public static TicketQueueMessage SurveyFollowUp(string ticketId, string reference, Urgency urgency, string channel) =>
        new($"{ticketId}:survey_follow_up", ticketId, reference, urgency, channel, TicketEvent.SurveyFollowUp);

    private static string? FromProvider((string Channel, string? Id) received) => received.Id is { } id ? $"{received.Channel}:{id}" : null;

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The W3C trace context of the work that queued the message (<c>00-{trace id}-{span id}-{flags}</c>), so that its
    /// handling continues the same trace; absent where nothing traces.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    /// <summary>The message's JSON, carrying the current trace context when it has none of its own.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        TraceParent is null && Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent } ? this with { TraceParent = traceParent } : this,
        TicketQueueJsonContext.Default.TicketQueueMessage);

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
    /// <summary>
    /// Service Bus's <c>maxDeliveryCount</c>: how often one message is delivered before it is dead-lettered. A failed
    /// handling does not spend it (the retry is a scheduled copy, <see cref="ServiceBusRetry"/>); only deliveries cut short
    /// (a crash, a lost lock) or a copy that cannot be scheduled do. Storage queues retry by time instead
    /// (<see cref="RetrySchedule"/>).
    /// </summary>
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
public sealed class TicketQueueUnavailableException : ServiceUnavailableException
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
