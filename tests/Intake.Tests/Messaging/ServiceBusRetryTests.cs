using System.Net.Http.Json;
using Azure.Messaging.ServiceBus;
using Intake.Channels.WebForm;
using Intake.Functions;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Messaging;

/// <summary>
/// A Service Bus delivery that fails is retried later, not at once: the Functions handler runs the real ticket worker (on the
/// test Azurite, mail through the fake SendGrid) and, when it throws, schedules a copy on the fake Service Bus with a growing
/// delay and a new deterministic id, so that a short outage no longer spends five deliveries in seconds and dead-letters the
/// acknowledgement.
/// </summary>
public class ServiceBusRetryTests(AzuriteFixture azurite)
{
    private static readonly DeliveryRetryOptions Defaults = new();

    [Fact]
    public void Delays_double_from_thirty_seconds_to_fifteen_minutes_and_stop_once_they_span_the_horizon()
    {
        Assert.Equal(
            [30, 60, 120, 240, 480, 900, 900],
            Enumerable.Range(0, 7).Select(n => (int)ServiceBusRetry.DelayFor(n, Defaults).TotalSeconds));

        var waits = new List<TimeSpan>();
        for (var attempt = 0; ServiceBusRetry.NextDelay(attempt, Defaults) is { } delay; attempt++)
        {
            waits.Add(delay);
        }

        // Enough to outlast an hour's outage twice over, and not forever.
        Assert.InRange(waits.Sum(w => w.TotalMinutes), 120, 120 + 15);
        Assert.InRange(waits.Count, 8, 20);
        Assert.Null(ServiceBusRetry.NextDelay(waits.Count, Defaults));
        Assert.Null(ServiceBusRetry.NextDelay(int.MaxValue, Defaults));
        Assert.Null(ServiceBusRetry.NextDelay(0, new DeliveryRetryOptions { Horizon = TimeSpan.Zero }));
    }

    [Fact]
    public async Task A_failed_delivery_schedules_a_later_copy_with_a_new_id_and_completes()
    {
        await using var harness = await Harness.StartAsync(azurite);
        var first = await harness.ReceivedAsync();
        harness.Host.SendGrid.RespondNextWith(503);

        await harness.Deliveries.HandleAsync(first, "tickets-high", TestContext.Current.CancellationToken);

        var retry = Assert.Single(harness.Bus.SentTo("tickets-high"));
        Assert.Equal(first.MessageId + ":retry:1", retry.MessageId);
        Assert.Equal(harness.Time.GetUtcNow() + TimeSpan.FromSeconds(30), retry.ScheduledEnqueueTime);
        Assert.Equal(1, retry.ApplicationProperties[ServiceBusRetry.AttemptProperty]);
        Assert.Equal(first.MessageId, retry.ApplicationProperties[ServiceBusRetry.OriginalIdProperty]);
        Assert.Equal(first.Body.ToString(), retry.Body.ToString());
        Assert.Equal(first.Subject, retry.Subject);
        Assert.Equal(first.ContentType, retry.ContentType);
        Assert.Equal(first.ApplicationProperties["ticketId"], retry.ApplicationProperties["ticketId"]);
    }

    [Fact]
    public async Task The_scheduled_copy_delivered_later_sends_the_acknowledgement_once_and_schedules_nothing_more()
    {
        await using var harness = await Harness.StartAsync(azurite);
        var first = await harness.ReceivedAsync();
        harness.Host.SendGrid.RespondNextWith(503);
        await harness.Deliveries.HandleAsync(first, "tickets-high", TestContext.Current.CancellationToken);
        var retry = Harness.AsReceived(Assert.Single(harness.Bus.SentTo("tickets-high")), deliveryCount: 1);

        await harness.Deliveries.HandleAsync(retry, "tickets-high", TestContext.Current.CancellationToken);

        Assert.Equal(2, harness.Host.SendGrid.Mails.Count);
        Assert.Single(harness.Bus.SentTo("tickets-high"));
        var outbound = await harness.Host.Services.GetRequiredService<OutboundLog>().ListAsync(harness.TicketId, TestContext.Current.CancellationToken);
        Assert.Equal(OutboundStatus.Sent, Assert.Single(outbound).Status);
    }

    [Fact]
    public async Task Each_further_failure_waits_longer_and_its_copy_keeps_the_original_id()
    {
        await using var harness = await Harness.StartAsync(azurite);
        var message = await harness.ReceivedAsync();
        var original = message.MessageId;
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            harness.Host.SendGrid.RespondNextWith(500);
            await harness.Deliveries.HandleAsync(message, "tickets-high", TestContext.Current.CancellationToken);
            var scheduled = harness.Bus.SentTo("tickets-high")[^1];
            Assert.Equal($"{original}:retry:{attempt}", scheduled.MessageId);
            Assert.Equal(harness.Time.GetUtcNow() + ServiceBusRetry.DelayFor(attempt - 1, Defaults), scheduled.ScheduledEnqueueTime);
            message = Harness.AsReceived(scheduled, deliveryCount: 1);
        }
    }

    [Fact]
    public async Task A_delivery_handled_twice_after_a_crash_schedules_the_same_copy_which_duplicate_detection_drops()
    {
        // The copy was scheduled, then the instance died before the original was completed: Service Bus delivers the
        // original again, it fails again, and the copy it schedules has the id of the first one.
        await using var harness = await Harness.StartAsync(azurite);
        var first = await harness.ReceivedAsync();
        harness.Host.SendGrid.RespondNextWith(503);
        harness.Host.SendGrid.RespondNextWith(503);

        await harness.Deliveries.HandleAsync(first, "tickets-high", TestContext.Current.CancellationToken);
        await harness.Deliveries.HandleAsync(first, "tickets-high", TestContext.Current.CancellationToken);

        var sent = harness.Bus.SentTo("tickets-high");
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].MessageId, sent[1].MessageId);
    }

    [Fact]
    public async Task Once_the_horizon_is_spent_the_failure_goes_to_service_bus_which_dead_letters_it()
    {
        await using var harness = await Harness.StartAsync(azurite);
        var spent = Harness.AsReceived(await harness.ReceivedAsync(), deliveryCount: 1, attempt: 40);
        harness.Host.SendGrid.RespondNextWith(503);

        await Assert.ThrowsAsync<HttpRequestException>(() => harness.Deliveries.HandleAsync(spent, "tickets-high", TestContext.Current.CancellationToken));

        Assert.Empty(harness.Bus.SentTo("tickets-high"));
    }

    [Fact]
    public async Task A_message_given_up_is_counted_poisoned_once_on_the_delivery_service_bus_dead_letters_not_on_each_redelivery()
    {
        const string Queue = "tickets-high-poison-count";
        var poisoned = new System.Collections.Concurrent.ConcurrentQueue<long>();
        using var metering = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == Intake.Telemetry.IntakeTelemetry.Name && instrument.Name == "intake.queue.poisoned")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metering.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "queue", Value: Queue })
                {
                    poisoned.Enqueue(value);
                }
            }
        });
        metering.Start();
        await using var harness = await Harness.StartAsync(azurite);
        var received = await harness.ReceivedAsync();

        for (var delivery = 1; delivery <= TicketQueues.MaxDeliveries; delivery++)
        {
            var spent = Harness.AsReceived(received, deliveryCount: delivery, attempt: 40);
            harness.Host.SendGrid.RespondNextWith(503);
            await Assert.ThrowsAsync<HttpRequestException>(() => harness.Deliveries.HandleAsync(spent, Queue, TestContext.Current.CancellationToken));
            Assert.Equal(delivery == TicketQueues.MaxDeliveries ? 1 : 0, poisoned.Sum());
        }
    }

    [Fact]
    public async Task A_body_that_cannot_be_read_is_not_retried_later()
    {
        await using var harness = await Harness.StartAsync(azurite);
        var unreadable = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("not json"), messageId: "x:1");

        await Assert.ThrowsAsync<InvalidDataException>(() => harness.Deliveries.HandleAsync(unreadable, "tickets-high", TestContext.Current.CancellationToken));

        Assert.Empty(harness.Bus.SentTo("tickets-high"));
    }

    [Fact]
    public async Task When_the_retry_cannot_be_scheduled_the_delivery_is_abandoned_so_service_bus_tries_again()
    {
        await using var harness = await Harness.StartAsync(azurite);
        var first = await harness.ReceivedAsync();
        harness.Host.SendGrid.RespondNextWith(503);
        harness.Bus.FailNext(new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));

        var ex = await Assert.ThrowsAsync<TicketQueueUnavailableException>(() => harness.Deliveries.HandleAsync(first, "tickets-high", TestContext.Current.CancellationToken));

        Assert.True(ex.IsTransient);
        Assert.Empty(harness.Bus.SentTo("tickets-high"));
    }

    /// <summary>A web-form ticket on the test server (its own worker off), and the Functions handler over the fake Service Bus.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private Harness(IntakeHost host, FakeServiceBus bus, ServiceBusTicketQueue queue, FakeTimeProvider time, ServiceBusTicketDeliveries deliveries)
        {
            Host = host;
            Bus = bus;
            Queue = queue;
            Time = time;
            Deliveries = deliveries;
        }

        public IntakeHost Host { get; }

        public FakeServiceBus Bus { get; }

        public ServiceBusTicketQueue Queue { get; }

        public FakeTimeProvider Time { get; }

        public ServiceBusTicketDeliveries Deliveries { get; }

        public string TicketId { get; private set; } = "";

        public static async Task<Harness> StartAsync(AzuriteFixture azurite)
        {
            var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Worker:Enabled"] = "false" });
            var bus = new FakeServiceBus();
            var queue = new ServiceBusTicketQueue(bus);
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
            var deliveries = new ServiceBusTicketDeliveries(
                host.Services.GetRequiredService<TicketWorker>(), queue, Options.Create(new DeliveryRetryOptions()), time, NullLogger<ServiceBusTicketDeliveries>.Instance);
            return new Harness(host, bus, queue, time, deliveries);
        }

        /// <summary>The first delivery of a new ticket's message, as the trigger receives it.</summary>
        public async Task<ServiceBusReceivedMessage> ReceivedAsync()
        {
            using var client = Host.CreateClient();
            using var response = await client.PostAsJsonAsync(
                new Uri("/api/intake/web", UriKind.Relative),
                new { message = "My withdrawal has been pending for three hours", email = "sam@example.com" },
                TestContext.Current.CancellationToken);
            var accepted = (await response.Content.ReadFromJsonAsync<WebFormAccepted>(TestContext.Current.CancellationToken))!;
            var ticket = (await Host.Services.GetRequiredService<TicketStore>().GetAsync(accepted.TicketId, TestContext.Current.CancellationToken))!.Ticket;
            TicketId = ticket.Id;
            var outgoing = ServiceBusMapping.ToOutgoing(new TicketQueueMessage("web:" + ticket.Id, ticket.Id, ticket.Reference, ticket.Urgency, "web", TicketEvent.Created));
            return ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: outgoing.Body, messageId: outgoing.MessageId, subject: outgoing.Subject, contentType: outgoing.ContentType,
                properties: outgoing.Properties.ToDictionary(p => p.Key, p => p.Value), deliveryCount: 1);
        }

        /// <summary>A sent message as Service Bus would deliver it.</summary>
        public static ServiceBusReceivedMessage AsReceived(ServiceBusMessage sent, int deliveryCount) =>
            Delivery(sent.Body, sent.MessageId, sent.Subject, sent.ContentType, sent.ApplicationProperties, deliveryCount, attempt: null);

        /// <summary>A delivery as it would come after <paramref name="attempt"/> retries.</summary>
        public static ServiceBusReceivedMessage AsReceived(ServiceBusReceivedMessage received, int deliveryCount, int attempt) =>
            Delivery(received.Body, received.MessageId, received.Subject, received.ContentType, received.ApplicationProperties, deliveryCount, attempt);

        private static ServiceBusReceivedMessage Delivery(
            BinaryData body, string messageId, string subject, string contentType, IEnumerable<KeyValuePair<string, object>> properties, int deliveryCount, int? attempt)
        {
            var copied = properties.ToDictionary(p => p.Key, p => p.Value);
            if (attempt is { } n)
            {
                copied[ServiceBusRetry.AttemptProperty] = n;
            }

            return ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: body, messageId: messageId, subject: subject, contentType: contentType, properties: copied, deliveryCount: deliveryCount);
        }

        public async ValueTask DisposeAsync()
        {
            await Queue.DisposeAsync();
            await Host.DisposeAsync();
        }
    }
}
