using System.ComponentModel.DataAnnotations;
using Azure.Messaging.ServiceBus;

namespace Intake.Messaging;

/// <summary>How long a Service Bus delivery that keeps failing is retried before Service Bus dead-letters it.</summary>
public sealed class DeliveryRetryOptions
{
    public const string Section = "ServiceBus:Retry";

    /// <summary>The wait before the first retry; doubled for each further one up to <see cref="MaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Retries stop once their waits add up to this: a provider outage of up to an hour must not cost an acknowledgement,
    /// so the default outlasts it twice. After it the message fails as before and is dead-lettered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>
/// Retry with growing delays for Service Bus triggers, which have no retry policy of their own: a trigger that throws
/// abandons its message, and Service Bus redelivers it at once, so five deliveries are spent within seconds of an outage.
/// Instead the handler settles a failed delivery itself: it schedules a copy for later and completes the original. The copy
/// gets a new <c>MessageId</c> — duplicate detection would silently drop a copy with the original's — and a deterministic
/// one (<c>{original}:retry:{n}</c>), so that a crash after scheduling and before completing, which redelivers the
/// original, schedules nothing twice.
/// </summary>
public static class ServiceBusRetry
{
    /// <summary>The number of retries already scheduled for this message (absent on a first delivery).</summary>
    public const string AttemptProperty = "retryAttempt";

    /// <summary>The <c>MessageId</c> the message was first sent with; retry and replay ids derive from it.</summary>
    public const string OriginalIdProperty = "originalMessageId";

    public static int AttemptOf(ServiceBusReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.ApplicationProperties.TryGetValue(AttemptProperty, out var value) && value is int attempt and >= 0 ? attempt : 0;
    }

    public static string OriginalIdOf(ServiceBusReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.ApplicationProperties.TryGetValue(OriginalIdProperty, out var value) && value is string { Length: > 0 } original
            ? original
            : message.MessageId;
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> + 1.</summary>
    public static TimeSpan DelayFor(int attempt, DeliveryRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Schedule(options).DelayFor(attempt);
    }

    /// <summary>The wait before the next retry when <paramref name="attempt"/> retries were made, or null once their waits span the horizon.</summary>
    public static TimeSpan? NextDelay(int attempt, DeliveryRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Schedule(options).NextDelay(attempt);
    }

    private static RetrySchedule Schedule(DeliveryRetryOptions options) => new(options.FirstDelay, options.MaxDelay, options.Horizon);

    /// <summary>
    /// A copy of <paramref name="received"/> (body, subject, content type, properties) under <paramref name="messageId"/>,
    /// marked as retry number <paramref name="attempt"/> of the original.
    /// </summary>
    public static ServiceBusMessage Copy(ServiceBusReceivedMessage received, string messageId, int attempt)
    {
        ArgumentNullException.ThrowIfNull(received);
        var copy = new ServiceBusMessage(received) { MessageId = messageId };
        copy.ApplicationProperties[AttemptProperty] = attempt;
        copy.ApplicationProperties[OriginalIdProperty] = OriginalIdOf(received);
        return copy;
    }

    public static ServiceBusMessage RetryOf(ServiceBusReceivedMessage received, int attempt, DateTimeOffset at)
    {
        var copy = Copy(received, ServiceBusMapping.MessageIdFor($"{OriginalIdOf(received)}:retry:{attempt}"), attempt);
        copy.ScheduledEnqueueTime = at;
        return copy;
    }
}
