using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace Intake.Storage;

/// <summary>
/// What every table of Intake does the same way: row keys made safe, rows spread over a few partitions by a stable hash,
/// and reads of the first rows of such a spread in key order.
/// </summary>
public static class TableRows
{
    /// <summary>FNV-1a of the key, reduced to one of <paramref name="buckets"/>; stable across processes and machines.</summary>
    public static int Bucket(string key, int buckets)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)buckets);
    }

    /// <summary>A bucket as a partition suffix: one hexadecimal digit for up to 16 buckets.</summary>
    public static string Spread(string key, int buckets) => Bucket(key, buckets).ToString("x", CultureInfo.InvariantCulture);

    /// <summary>
    /// Row keys may not hold '/', '\', '#', '?' or control characters, and provider ids (an email Message-ID) can:
    /// such keys are stored as "~" + base64url of their UTF-8. A key holds at most 1 KiB (512 UTF-16 characters), so a value
    /// whose encoding would not fit — which no write could ever have stored — is stored as "~~" + the hex of its SHA-256
    /// ('~' is not base64url, so neither form can be taken for the other).
    /// </summary>
    public static string Key(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var safe = value.Length is > 0 and <= 512 && !value.StartsWith('~');
        foreach (var c in value)
        {
            safe &= c is not ('/' or '\\' or '#' or '?' or '\t' or '\n' or '\r') && !char.IsControl(c);
        }

        if (safe)
        {
            return value;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        return bytes.Length <= 383
            ? "~" + Base64Url.EncodeToString(bytes)
            : "~~" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    /// <summary>Up to <paramref name="count"/> rows of one partition in key order (the service may answer in several pages).</summary>
    public static async Task<List<TableEntity>> FirstAsync(this TableClient table, string filter, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = new List<TableEntity>(count);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, count, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
            if (rows.Count == count)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>
    /// The first <paramref name="count"/> rows, in row-key order, of the partitions <paramref name="filterOf"/> gives a
    /// filter for (one per bucket, 0 to <paramref name="buckets"/> - 1), read together.
    /// </summary>
    public static async Task<List<TableEntity>> FirstOfSpreadAsync(
        this TableClient table, int buckets, Func<int, string> filterOf, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filterOf);
        var partitions = Enumerable.Range(0, buckets).Select(bucket => table.FirstAsync(filterOf(bucket), count, cancellationToken));
        var rows = await Task.WhenAll(partitions).ConfigureAwait(false);
        return [.. rows.SelectMany(r => r).OrderBy(r => r.RowKey, StringComparer.Ordinal).Take(count)];
    }

    /// <summary>
    /// Up to <paramref name="count"/> rows of the spread partitions <c>{partitionPrefix}0</c>… whose keys, time-first
    /// (<c>{ticks:D19}|…</c>), sort after <paramref name="after"/> (the last row of the page before, if any) and before
    /// <paramref name="before"/>, oldest first: the due-time index, the outbox, the owed metrics.
    /// </summary>
    public static Task<List<TableEntity>> KeyedBeforeAsync(
        this TableClient table, string partitionPrefix, int buckets, string before, string? after, int count, CancellationToken cancellationToken)
    {
        var from = after ?? "";
        return table.FirstOfSpreadAsync(
            buckets,
            bucket => TableClient.CreateQueryFilter($"PartitionKey eq {partitionPrefix + bucket.ToString(CultureInfo.InvariantCulture)} and RowKey gt {from} and RowKey lt {before}"),
            count,
            cancellationToken);
    }

    /// <summary>Deletes the row; a row already gone is not an error.</summary>
    public static async Task DeleteIfExistsAsync(this TableClient table, string partition, string rowKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            await table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Inserts the row unless it exists; whether this call inserted it.</summary>
    public static async Task<bool> AddIfAbsentAsync(this TableClient table, ITableEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>A concurrent writer got there first: the ETag no longer matches, or the row to insert exists.</summary>
    public static bool IsConcurrencyFailure(int status) => status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict;
}
