using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Intake.Functions;

/// <summary>
/// One Service Bus trigger per urgency queue, each with its own consumers, so urgent work never waits behind low. A failure
/// is retried later by <see cref="ServiceBusTicketDeliveries"/>, not at once by Service Bus. <c>IsBatched = false</c> is the
/// default; it is written out because the feed's extension (5.7.0, the compile check) lacks the default the SDK's metadata
/// generator reads.
/// </summary>
public sealed class QueueFunctions(ServiceBusTicketDeliveries deliveries)
{
    [Function("TicketsUrgent")]
    public Task UrgentAsync(
        [ServiceBusTrigger("tickets-urgent", Connection = "ServiceBusConnection", IsBatched = false)] ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        deliveries.HandleAsync(message, "tickets-urgent", cancellationToken);

    [Function("TicketsHigh")]
    public Task HighAsync(
        [ServiceBusTrigger("tickets-high", Connection = "ServiceBusConnection", IsBatched = false)] ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        deliveries.HandleAsync(message, "tickets-high", cancellationToken);

    [Function("TicketsNormal")]
    public Task NormalAsync(
        [ServiceBusTrigger("tickets-normal", Connection = "ServiceBusConnection", IsBatched = false)] ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        deliveries.HandleAsync(message, "tickets-normal", cancellationToken);

    [Function("TicketsLow")]
    public Task LowAsync(
        [ServiceBusTrigger("tickets-low", Connection = "ServiceBusConnection", IsBatched = false)] ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        deliveries.HandleAsync(message, "tickets-low", cancellationToken);
}
