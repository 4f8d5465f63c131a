using Intake.Desk;
using Intake.HelpCenter;
using Intake.Messaging;
using Intake.Sla;
using Intake.Surveys;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Hosting;

/// <summary>Creates the tables and queues before anything serves or consumes (after Development storage has started).</summary>
internal sealed class StorageInitializer(IServiceProvider services) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<TicketStore>().CreateTablesAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<SlaStore>().CreateTablesAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<SurveyStore>().CreateTableAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<DeflectionStore>().CreateTableAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<DeskSessionStore>().CreateTableAsync(cancellationToken).ConfigureAwait(false);

        // Read now, so that a catalogue with errors stops the start rather than the first acknowledgement.
        services.GetRequiredService<HelpCatalogue>();
        await services.GetRequiredService<StorageTicketQueue>().CreateQueuesAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
