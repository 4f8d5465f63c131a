using Azure.Data.Tables;
using Azure.Storage.Queues;
using Intake.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Messaging;

public static class MessagingHosting
{
    /// <summary>
    /// The intake every channel hands its messages to (<see cref="TicketIntake"/>), the ticket queues (Storage queues,
    /// unless the host has registered its own <see cref="ITicketQueue"/> first, as the Functions host does with Service
    /// Bus), the outbox and its sweeper, and the worker. Needs <c>AddTickets</c>, <c>AddSla</c>, and the
    /// <see cref="QueueServiceClient"/> and <see cref="StorageOptions"/> the host registers.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(sp => new StorageTicketQueue(
            sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.TryAddSingleton<ITicketQueue>(sp => sp.GetRequiredService<StorageTicketQueue>());
        services.AddSingleton(sp => new OutboxStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.AddSingleton<TicketIntake>();
        services.AddSingleton<QueueOutbox>();
        services.AddSingleton<OutboxSweeper>();
        services.AddTicketWorker();
        return builder;
    }
}
