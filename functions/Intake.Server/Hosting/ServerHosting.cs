using Intake.Hosting;
using Intake.Server.Messaging;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Server.Hosting;

/// <summary>What the server adds to <see cref="IntakeHosting.AddIntake"/> where the Functions host has triggers.</summary>
internal static class ServerHosting
{
    /// <summary>
    /// The server's consumer of the Storage queues (the Functions host uses Service Bus triggers instead), the backlog that
    /// holds intake back while it is behind, and the queues' health check.
    /// </summary>
    public static IHostApplicationBuilder AddStorageQueueWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LocalBacklog>();
        services.AddSingleton<IIntakeBackpressure>(sp => sp.GetRequiredService<LocalBacklog>());
        services.AddHostedService<StorageQueueWorker>();
        services.AddHealthChecks().AddCheck<TicketQueuesHealthCheck>("queues", timeout: IntakeHealthChecks.Timeout);
        return builder;
    }
}
