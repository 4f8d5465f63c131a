using System.Globalization;
using Azure.Data.Tables;
using Intake.Storage;
using Intake.Tickets;

namespace Intake.Desk.Dashboard;

/// <summary>A ticket as the volume counts it: when it was created and on which channel.</summary>
public sealed record VolumeRow(DateTimeOffset CreatedAt, string Channel);

/// <summary>
/// Tickets by creation day for the dashboard's volume: one row per ticket in <c>TicketIndex</c>, partition
/// <c>volume|{yyyy-MM-dd}</c>, row key the ticket id, written before the ticket (a projection of <see cref="TicketStore"/>),
/// so that every ticket is counted from the moment it exists, answered or not; a repeated creation finds its row there.
/// The SLA metrics rows cannot count volume: a ticket gets one only once it is answered, resolved or late.
/// </summary>
public sealed class TicketVolume(TableServiceClient tables, string prefix = "") : ITicketProjection
{
    private readonly TableClient _index = tables.GetTableClient(prefix + TicketStore.IndexTable);

    public async Task BeforeWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            await _index.AddIfAbsentAsync(
                new TableEntity(Partition(DateOnly.FromDateTime(after.CreatedAt.UtcDateTime)), after.Id) { ["Channel"] = after.Channel, ["CreatedAt"] = after.CreatedAt },
                cancellationToken).ConfigureAwait(false);
        }
    }

    public Task AfterWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The tickets created on the days <paramref name="from"/> to <paramref name="to"/> (UTC, both included), each day's partition read at once.</summary>
    public async Task<IReadOnlyList<VolumeRow>> ReadAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = Enumerable.Range(0, Math.Max(0, to.DayNumber - from.DayNumber + 1)).Select(from.AddDays);
        var read = await Task.WhenAll(days.Select(async day =>
        {
            var rows = new List<VolumeRow>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(day)}");
            await foreach (var row in _index.QueryAsync<TableEntity>(filter, select: ["Channel", "CreatedAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (row.GetString("Channel") is { } channel && row.GetDateTimeOffset("CreatedAt") is { } created)
                {
                    rows.Add(new VolumeRow(created, channel));
                }
            }

            return rows;
        })).ConfigureAwait(false);
        return [.. read.SelectMany(r => r)];
    }

    private static string Partition(DateOnly day) => "volume|" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
