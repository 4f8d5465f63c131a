using Azure.Messaging.ServiceBus;
using Intake.Messaging;
using Microsoft.Azure.Functions.Worker;

namespace Intake.Functions;

/// <summary>
/// One Service Bus trigger per urgency queue, each with its own consumers, so urgent work never waits behind low.
/// Exceptions propagate: Service Bus redelivers and, after 5 deliveries, dead-letters (auto-complete is on).
/// </summary>
public sealed class QueueFunctions(TicketWorker worker)
{
    [Function("TicketsUrgent")]
    public Task UrgentAsync([ServiceBusTrigger("tickets-urgent", Connection = "ServiceBusConnection")] ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        worker.HandleServiceBusBodyAsync(message.Body, cancellationToken);

    [Function("TicketsHigh")]
    public Task HighAsync([ServiceBusTrigger("tickets-high", Connection = "ServiceBusConnection")] ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        worker.HandleServiceBusBodyAsync(message.Body, cancellationToken);

    [Function("TicketsNormal")]
    public Task NormalAsync([ServiceBusTrigger("tickets-normal", Connection = "ServiceBusConnection")] ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        worker.HandleServiceBusBodyAsync(message.Body, cancellationToken);

    [Function("TicketsLow")]
    public Task LowAsync([ServiceBusTrigger("tickets-low", Connection = "ServiceBusConnection")] ServiceBusReceivedMessage message, CancellationToken cancellationToken) =>
        worker.HandleServiceBusBodyAsync(message.Body, cancellationToken);
}
