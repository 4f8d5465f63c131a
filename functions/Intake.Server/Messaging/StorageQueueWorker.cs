using System.ComponentModel.DataAnnotations;
using Intake.Messaging;
using Intake.Telemetry;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Server.Messaging;

internal sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>
    /// Queue messages handled at once. Each takes about seven storage requests in turn while a web request takes three,
    /// so the worker needs several times the web's concurrency to keep its share of a saturated store: at 16, eight
    /// clients outran it and acknowledgements fell 12 s behind; at 32 it kept up (docs/operations.md, "Load runs").
    /// </summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// How long a received message stays hidden from other workers while it is handled, and so how long a message a killed
    /// server had received waits before it is handled again. One minute is twice the longest send try (30 s); a handling
    /// that outlasts it is harmless, since the send's record is held by its lease (<c>OutboundLog.AttemptLease</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "07:00:00")]
    public TimeSpan Visibility { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Pause after a round that found every queue empty; a message enqueued by this process ends it at once.</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait before the first retry of a failed message; doubled for each further failure up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.001", "06:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Retries of a failing message stop once their waits add up to this, and it goes to the poison queue: a provider
    /// outage of up to an hour must not cost an acknowledgement, so the default outlasts it twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RetryHorizon { get; set; } = TimeSpan.FromHours(2);

    internal RetrySchedule Retries => new(RetryDelay, MaxRetryDelay, RetryHorizon);

    /// <summary>
    /// Ticket messages this process may have queued and not yet handled before intake waits for its worker
    /// (<see cref="LocalBacklog"/>); at most <see cref="BacklogWait"/>, then intake goes on.
    /// </summary>
    [Range(1, 100_000)]
    public int Backlog { get; set; } = 64;

    public TimeSpan BacklogWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>False runs the server as intake and API only, leaving the queues to other instances.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// The server's queue consumer: drains <c>tickets-*</c> in urgency order — each round visits urgent 8 times, high 4,
/// normal 2 and low once, so low is slower but never starved; a queue found empty is skipped for the rest of the round —
/// and hands each message to the <see cref="TicketWorker"/>.
/// A failure is retried with growing delays over <see cref="WorkerOptions.RetryHorizon"/> (<see cref="RetrySchedule"/>);
/// after it, or at once for a message that cannot be read, the message goes to the poison queue.
/// </summary>
internal sealed partial class StorageQueueWorker(IServiceProvider services, IOptions<WorkerOptions> options, TimeProvider time, ILogger<StorageQueueWorker> logger)
    : BackgroundService
{
    private static readonly Urgency[] Round = BuildRound();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not in the constructor: in Development the storage connection is only known once the host has started.
        var queue = services.GetRequiredService<StorageTicketQueue>();
        var worker = services.GetRequiredService<TicketWorker>();
        var backlog = services.GetRequiredService<LocalBacklog>();
        var settings = options.Value;
        if (!settings.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        backlog.Activate();

        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        try
        {
            var empty = new bool[Enum.GetValues<Urgency>().Length];
            while (!stoppingToken.IsCancellationRequested)
            {
                // Taken before the round: a message enqueued here while the round runs ends the idle wait at once.
                var enqueued = queue.NextEnqueue;
                var found = 0;
                Array.Clear(empty);
                foreach (var urgency in Round)
                {
                    // A queue found empty is not asked again this round: an empty receive costs the store as much as a full one.
                    if (empty[(int)urgency])
                    {
                        continue;
                    }

                    await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                    var free = slots.CurrentCount + 1;
                    slots.Release();
                    IReadOnlyList<ReceivedTicketMessage> batch;
                    try
                    {
                        batch = await queue.ReceiveAsync(urgency, Math.Min(free, 32), settings.Visibility, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogReceiveFailed(logger, ex, TicketQueues.NameFor(urgency));
                        break;
                    }

                    found += batch.Count;
                    empty[(int)urgency] = batch.Count == 0;
                    foreach (var received in batch)
                    {
                        await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                        _ = HandleAsync(queue, worker, backlog, received, slots, stoppingToken);
                    }
                }

                if (found == 0)
                {
                    await Task.WhenAny(Task.Delay(settings.IdleDelay, time, stoppingToken), enqueued).ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Let what is in hand finish (or see the cancellation) before the host goes.
        for (var i = 0; i < settings.Concurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(
        StorageTicketQueue queue, TicketWorker worker, LocalBacklog backlog, ReceivedTicketMessage received, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            if (received.Message is null)
            {
                LogUnreadable(logger, TicketQueues.NameFor(received.Urgency), received.QueueMessageId);
                await queue.MoveToPoisonAsync(received, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var queueName = TicketQueues.NameFor(received.Urgency);
            if (received is { DequeueCount: 1, InsertedOn: { } inserted })
            {
                IntakeTelemetry.QueueLag.Record(
                    Math.Max(0, (time.GetUtcNow() - inserted).TotalSeconds), new("queue", queueName), new("event", received.Message.Event.ToString()));
            }

            try
            {
                await worker.HandleAsync(received.Message, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogHandlingFailed(logger, ex, received.Message.TicketId, received.Message.MessageId, received.DequeueCount);
                if (RetryDelay(options.Value, received.DequeueCount) is { } delay)
                {
                    IntakeTelemetry.QueueRetried.Add(1, new KeyValuePair<string, object?>("queue", queueName));
                    await queue.ReleaseAsync(received, delay, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    IntakeTelemetry.QueuePoisoned.Add(1, new KeyValuePair<string, object?>("queue", queueName));
                    LogGivenUp(logger, received.Message.TicketId, received.Message.MessageId, received.DequeueCount);
                    await queue.MoveToPoisonAsync(received, CancellationToken.None).ConfigureAwait(false);
                    backlog.Finished(received.Message.MessageId);
                }

                return;
            }

            await queue.CompleteAsync(received, CancellationToken.None).ConfigureAwait(false);
            backlog.Finished(received.Message.MessageId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The queue could not be told; the message reappears after its visibility timeout and is handled again.
            LogQueueUpdateFailed(logger, ex, received.QueueMessageId);
        }
        catch (OperationCanceledException)
        {
            // Shutting down mid-message: it reappears after its visibility timeout.
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// The wait after failure number <paramref name="dequeueCount"/> (2, 4, 8… s, at most 5 min, by default), or null once
    /// the waits span the horizon. A delivery cut short by a crash counts as a failure too, with no wait of its own.
    /// </summary>
    internal static TimeSpan? RetryDelay(WorkerOptions options, long dequeueCount) =>
        options.Retries.NextDelay((int)Math.Clamp(dequeueCount - 1, 0, int.MaxValue));

    private static Urgency[] BuildRound()
    {
        var round = new List<Urgency>();
        for (var i = 0; i < 8; i++)
        {
            round.Add(Urgency.Urgent);
            if (i % 2 == 0)
            {
                round.Add(Urgency.High);
            }

            if (i % 4 == 0)
            {
                round.Add(Urgency.Normal);
            }

            if (i == 0)
            {
                round.Add(Urgency.Low);
            }
        }

        return [.. round];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue worker disabled (Worker:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Receiving from {Queue} failed")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {QueueMessageId} on {Queue} cannot be read; moved to poison")]
    private static partial void LogUnreadable(ILogger logger, string queue, string queueMessageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {MessageId} of ticket {TicketId} failed {DequeueCount} times over the retry horizon; moved to poison")]
    private static partial void LogGivenUp(ILogger logger, string ticketId, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling {MessageId} of ticket {TicketId} failed (delivery {DequeueCount})")]
    private static partial void LogHandlingFailed(ILogger logger, Exception exception, string ticketId, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not complete or release queue message {QueueMessageId}")]
    private static partial void LogQueueUpdateFailed(ILogger logger, Exception exception, string queueMessageId);
}
