using Intake.Escalation;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Server.Messaging;
using Intake.Sla;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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

    /// <summary>The server's SLA monitor, every <c>Sla:CheckInterval</c> (the Functions host has a timer trigger instead).</summary>
    public static IHostApplicationBuilder AddSlaMonitor(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PeriodicService.Add(
            builder.Services,
            "SLA monitor",
            sp => sp.GetRequiredService<IOptions<SlaOptions>>().Value.CheckInterval,
            sp => sp.GetRequiredService<SlaMonitor>().RunOnceAsync);
        return builder;
    }

    /// <summary>The server's outbox sweeper, every minute (the Functions host has a timer trigger instead).</summary>
    public static IHostApplicationBuilder AddOutboxSweeper(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PeriodicService.Add(builder.Services, "Outbox sweep", _ => OutboxSweeper.Interval, sp => sp.GetRequiredService<OutboxSweeper>().RunOnceAsync);
        return builder;
    }
}
