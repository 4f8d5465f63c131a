using Azure.Messaging.ServiceBus;
using Intake.Messaging;
using Intake.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Functions;

/// <summary>
/// What the Service Bus triggers run: the ticket worker, and when it fails, a retry scheduled with a growing delay
/// (<see cref="ServiceBusRetry"/>) instead of an abandon that Service Bus redelivers at once. Returning completes the
/// delivery (auto-complete); throwing abandons it, which happens when the body cannot be read (it can never succeed),
/// when the horizon is spent, or when the retry cannot be scheduled — then Service Bus redelivers and, after five
/// deliveries, dead-letters it, where the health report and <c>dead-letters replay</c> find it.
/// </summary>
public sealed partial class ServiceBusTicketDeliveries(
    TicketWorker worker, ServiceBusTicketQueue queue, IOptions<DeliveryRetryOptions> options, TimeProvider time, ILogger<ServiceBusTicketDeliveries> logger)
{
    public async Task HandleAsync(ServiceBusReceivedMessage message, string queueName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var attempt = ServiceBusRetry.AttemptOf(message);
        var original = ServiceBusRetry.OriginalIdOf(message);
        if (attempt == 0 && message.DeliveryCount == 1)
        {
            IntakeTelemetry.QueueLag.Record(Math.Max(0, (time.GetUtcNow() - message.EnqueuedTime).TotalSeconds), new KeyValuePair<string, object?>("queue", queueName));
        }

        TimeSpan delay;
        try
        {
            await worker.HandleServiceBusBodyAsync(message.Body, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or InvalidDataException)
            && ServiceBusRetry.NextDelay(attempt, options.Value) is { } next)
        {
            delay = next;
            LogFailed(logger, ex, original, queueName, attempt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No retry left (or a body no retry can read): Service Bus redelivers it and then dead-letters it. Counted once,
            // on the delivery after which it is dead-lettered, not on each of the redeliveries before.
            if (message.DeliveryCount >= TicketQueues.MaxDeliveries)
            {
                IntakeTelemetry.QueuePoisoned.Add(1, new KeyValuePair<string, object?>("queue", queueName));
            }

            throw;
        }

        IntakeTelemetry.QueueRetried.Add(1, new KeyValuePair<string, object?>("queue", queueName));

        var retry = ServiceBusRetry.RetryOf(message, attempt + 1, time.GetUtcNow() + delay);
        await queue.SendAsync(queueName, retry, cancellationToken).ConfigureAwait(false);
        LogRetryScheduled(logger, original, queueName, attempt + 1, delay);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling {MessageId} from {Queue} failed (retry {Attempt})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string messageId, string queue, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retry {Attempt} of {MessageId} on {Queue} scheduled in {Delay}")]
    private static partial void LogRetryScheduled(ILogger logger, string messageId, string queue, int attempt, TimeSpan delay);
}
