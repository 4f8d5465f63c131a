using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;

namespace Intake.Benchmarks.Load;

/// <summary>What the storage alone does: inserts of small entities a second, with the load's parallelism.</summary>
internal sealed record RawInsertResult(int Inserts, TimeSpan Duration, int Failures)
{
    public double PerSecond => Inserts / Duration.TotalSeconds;
}

/// <summary>
/// Inserts index-like rows (three short strings) into one table from <c>concurrency</c> parallel tasks with the same
/// SDK the server uses, after a warm-up, and counts the inserts completed in the measured window. The table is
/// deleted afterwards so that the load that follows finds Azurite as empty as it would be.
/// </summary>
internal static class RawInsertRate
{
    public static async Task<RawInsertResult> MeasureAsync(
        string connectionString, int concurrency, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = new TableClient(connectionString, "rawinserts" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + Ticks(warmup);
            var measureTo = measureFrom + Ticks(duration);
            var counts = await Task.WhenAll(Enumerable.Range(0, concurrency)
                .Select(worker => InsertUntilAsync(table, worker, measureFrom, measureTo, cancellationToken))).ConfigureAwait(false);
            return new RawInsertResult(counts.Sum(c => c.Inserts), duration, counts.Sum(c => c.Failures));
        }
        finally
        {
            await table.DeleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<(int Inserts, int Failures)> InsertUntilAsync(
        TableClient table, int worker, long measureFrom, long measureTo, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var inserts = 0;
        var failures = 0;
        for (var n = 0; Stopwatch.GetTimestamp() < measureTo; n++)
        {
            var row = new TableEntity("ref", string.Create(CultureInfo.InvariantCulture, $"T-{worker:D3}{n:D7}"))
            {
                ["TicketId"] = Guid.NewGuid().ToString("N"),
                ["Channel"] = "web",
                ["Category"] = "withdrawal",
            };
            try
            {
                await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException)
            {
                failures++;
                continue;
            }

            var done = Stopwatch.GetTimestamp();
            if (done >= measureFrom && done < measureTo)
            {
                inserts++;
            }
        }

        return (inserts, failures);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
