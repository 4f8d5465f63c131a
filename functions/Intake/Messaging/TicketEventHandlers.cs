using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Intake.Messaging;

/// <summary>
/// What the worker does for one <see cref="TicketEvent"/>, written in the feature that owns it (the acknowledgement in Channels,
/// the agent's reply in Agents, the survey and its follow-ups in Surveys, the escalation notice in Sla). The worker has
/// parsed the message and loaded its ticket; the handler must be idempotent, as delivery is at least once, and lets its
/// exceptions propagate: the queue's redelivery is the retry policy.
/// </summary>
public interface ITicketEventHandler
{
    TicketEvent TicketEvent { get; }

    Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// The table the worker dispatches through: exactly one handler for every <see cref="TicketEvent"/>. Built at start-up
/// (<see cref="TicketEventHandlersCheck"/>), so an event that no feature handles stops the start instead of being
/// dropped when its first message arrives.
/// </summary>
public sealed class TicketEventHandlers
{
    private readonly Dictionary<TicketEvent, ITicketEventHandler> _handlers;

    public TicketEventHandlers(IEnumerable<ITicketEventHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var byEvent = handlers.GroupBy(h => h.TicketEvent).ToList();
        if (byEvent.Where(g => g.Count() > 1).Select(g => g.Key).ToList() is { Count: > 0 } twice)
        {
            throw new InvalidOperationException($"More than one handler is registered for the ticket events {string.Join(", ", twice)}.");
        }

        _handlers = byEvent.ToDictionary(g => g.Key, g => g.Single());
        if (Enum.GetValues<TicketEvent>().Where(e => !_handlers.ContainsKey(e)).ToList() is { Count: > 0 } missing)
        {
            throw new InvalidOperationException($"No handler is registered for the ticket events {string.Join(", ", missing)}.");
        }
    }

    /// <summary>The handler of <paramref name="ticketEvent"/>; null only for a value that is not a <see cref="TicketEvent"/>.</summary>
    public ITicketEventHandler? For(TicketEvent ticketEvent) => _handlers.GetValueOrDefault(ticketEvent);
}

/// <summary>Builds the handlers' table when the host starts, so that a missing handler is a start-up error.</summary>
internal sealed class TicketEventHandlersCheck(TicketEventHandlers handlers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(handlers);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class TicketEventRegistration
{
    /// <summary>The worker, its handlers' table and the start-up check that every event has a handler.</summary>
    public static IServiceCollection AddTicketWorker(this IServiceCollection services)
    {
        services.AddSingleton<TicketWorker>();
        services.AddSingleton<TicketEventHandlers>();
        services.AddHostedService<TicketEventHandlersCheck>();
        return services;
    }

    /// <summary>Registers a feature's handler of one ticket event.</summary>
    public static IServiceCollection AddTicketEventHandler<THandler>(this IServiceCollection services)
        where THandler : class, ITicketEventHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITicketEventHandler, THandler>());
        return services;
    }
}
