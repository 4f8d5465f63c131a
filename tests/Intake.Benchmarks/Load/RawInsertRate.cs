using System.Globalization;
using Azure.Data.Tables;

namespace Intake.Benchmarks.Load;

/// <summary>What the storage alone does: when each insert of the measured window completed, and how many failed.</summary>
internal sealed record RawInsertResult(IReadOnlyList<long> Completions, MeasuredWindow Window, int Failures)
{
    public (double Whole, double First, double Last) Rates => Window.Rates(Completions);

    public double PerSecond => Rates.Whole;
}

/// <summary>
/// Inserts index-like rows (three short strings) into one table from <c>concurrency</c> parallel tasks with the same
/// SDK the server uses, after a warm-up, and counts the inserts completed in the measured window: all in one
/// partition, as the <c>ref</c> rows of <c>TicketIndex</c>, or each in a partition of its own, as the tickets are.
/// Azurite slows down as a partition grows, so the two differ, more so the longer the run. The table is deleted
/// afterwards so that what follows finds Azurite as empty as it would be.
/// </summary>
internal static class RawInsertRate
{
    public static async Task<RawInsertResult> MeasureAsync(
        string connectionString, int concurrency, bool onePartition, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        var table = new TableClient(connectionString, "rawinserts" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var window = MeasuredWindow.AfterWarmup(warmup, duration);
            var workers = await Task.WhenAll(Enumerable.Range(0, concurrency)
                .Select(worker => InsertUntilAsync(table, worker, onePartition, window, cancellationToken))).ConfigureAwait(false);
            return new RawInsertResult([.. workers.SelectMany(w => w.Completions).Where(window.Contains)], window, workers.Sum(w => w.Failures));
        }
        finally
        {
            await table.DeleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<(List<long> Completions, int Failures)> InsertUntilAsync(
        TableClient table, int worker, bool onePartition, MeasuredWindow window, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var completions = new List<long>();
        var failures = 0;
        for (var n = 0; !window.IsOver; n++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"T-{worker:D3}{n:D7}");
            var row = new TableEntity(onePartition ? "ref" : key, key)
            {
                ["TicketId"] = Guid.NewGuid().ToString("N"),
                ["Channel"] = "web",
                ["Category"] = "withdrawal",
            };
            try
            {
                await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                completions.Add(System.Diagnostics.Stopwatch.GetTimestamp());
            }
            catch (Azure.RequestFailedException)
            {
                failures++;
            }
        }

        return (completions, failures);
    }
}
