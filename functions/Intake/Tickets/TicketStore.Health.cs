using Azure.Data.Tables;

namespace Intake.Tickets;

/// <summary>Whether the tables answer, for the health report.</summary>
public sealed partial class TicketStore
{
    /// <summary>One point read of a row that never exists (a 404 is an answer); throws when the tables do not answer.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken) =>
        await _tickets.GetEntityIfExistsAsync<TableEntity>("health", "probe", ["PartitionKey"], cancellationToken).ConfigureAwait(false);
}
