using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Intake.Storage;

namespace Intake.Tickets;

/// <summary>
/// A blocked contact: <see cref="ContactId"/> as tickets store it for <see cref="Channel"/> (email addresses and the web
/// form's in lower case), <see cref="Name"/> as the contact's ticket stores it (already redacted), who blocked them and
/// why, and how many of their messages were recorded as blocked since.
/// </summary>
public sealed record ContactBlock(
    string Channel, string ContactId, string? Name, string Agent, string? Reason, DateTimeOffset BlockedAt, int BlockedMessages, DateTimeOffset? LastBlockedMessageAt);

/// <summary>A message of a blocked contact: its text redacted as intake redacts every message, and the channel's id for it.</summary>
public sealed record BlockedMessage(DateTimeOffset At, string Text, string? ProviderMessageId);

/// <summary>What became of a message handed to <see cref="ContactBlocks.RecordIfBlockedAsync"/>.</summary>
public enum BlockedRecording
{
    /// <summary>Its contact is not blocked: nothing was written.</summary>
    NotBlocked,

    /// <summary>Recorded as blocked, and counted on the block.</summary>
    Recorded,

    /// <summary>Its provider message id was recorded before (a redelivery): nothing was written.</summary>
    Duplicate,
}

/// <summary>
/// Contacts agents have blocked (spam, abuse), in <c>TicketIndex</c>, partition <c>blocks</c> (one partition, so that a
/// block and its rows change together in one transaction):
/// <list type="bullet">
/// <item><c>c|{channel}|{contact}</c> — the block, found by one point read (<see cref="IsBlockedAsync"/>);</item>
/// <item><c>t|{reversed ticks of BlockedAt}|{channel}|{contact}</c> — the same block in the list's order, newest first,
/// with the count of blocked messages;</item>
/// <item><c>m|{channel}|{contact}|{reversed ticks}|{id}</c> — a blocked message, newest first;</item>
/// <item><c>p|{channel}|{contact}|{provider message id}</c> — the marker that makes recording a message idempotent.</item>
/// </list>
/// Every part of a key is made safe for a row key (<see cref="TableRows.Key"/>); a part that would hold a <c>|</c> or be
/// longer than 200 characters is stored as the hash of its value, so no contact id can run into another's rows. Email
/// addresses (channels <c>email</c> and <c>web</c>) compare ignoring case. Unblocking keeps nothing: the block and the
/// messages recorded under it go.
/// </summary>
public sealed class ContactBlocks(TableServiceClient tables, TimeProvider time, string prefix = "")
{
    /// <summary>The most blocks <see cref="ListAsync"/> returns: the newest ones.</summary>
    public const int MaxListed = 1_000;

    /// <summary>The most blocked messages <see cref="BlockedMessagesAsync"/> returns.</summary>
    public const int MaxMessagesListed = 1_000;

    /// <summary>The longest contact id a block takes (an email address is at most 320 characters).</summary>
    public const int MaxContactIdLength = 320;

    public const int MaxReasonLength = 500;

    /// <summary>The longest text kept of a blocked message: enough to judge it, little for a flood to fill.</summary>
    public const int MaxTextLength = 4_000;

    private const int MaxNameLength = 200;
    private const int MaxAttempts = 8;
    private const int MaxPart = 200;
    private const string Partition = "blocks";

    private readonly TableClient _index = tables.GetTableClient(prefix + TicketStore.IndexTable);

    /// <summary>The table is <see cref="TicketStore"/>'s index, which <see cref="TicketStore.CreateTablesAsync"/> creates at start; for a store used on its own.</summary>
    public async Task CreateTableAsync(CancellationToken cancellationToken) =>
        await _index.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task<bool> IsBlockedAsync(string channel, string contactId, CancellationToken cancellationToken) =>
        (await _index.GetEntityIfExistsAsync<TableEntity>(Partition, BlockRow(channel, contactId), ["RowKey"], cancellationToken).ConfigureAwait(false)).HasValue;

    /// <summary>
    /// Blocks the contact. Idempotent: when the contact is blocked already, the first block is kept and returned as it is.
    /// </summary>
    public async Task<ContactBlock> BlockAsync(
        string channel, string contactId, string? name, string agent, string? reason, CancellationToken cancellationToken) =>
        (await BlockOnceAsync(channel, contactId, name, agent, reason, cancellationToken).ConfigureAwait(false)).Block;

    /// <summary><see cref="BlockAsync"/>, and whether this call made the block (false: it was there before).</summary>
    internal async Task<(ContactBlock Block, bool Created)> BlockOnceAsync(
        string channel, string contactId, string? name, string agent, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(contactId);
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        var id = Normalize(channel, contactId);
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var block = new ContactBlock(channel, id, Clip(name, MaxNameLength), agent, Clip(reason, MaxReasonLength), now, 0, null);
            var head = new TableEntity(Partition, BlockRow(channel, id)) { ["BlockedAtTicks"] = now.UtcTicks };
            try
            {
                await _index.SubmitTransactionAsync(
                    [new(TableTransactionActionType.Add, head), new(TableTransactionActionType.Add, ToEntity(block))], cancellationToken).ConfigureAwait(false);
                return (block, true);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
                if (await GetAsync(channel, id, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return (existing.Block, false);
                }

                // Unblocked between our write and our read: block again.
                if (attempt == MaxAttempts)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>Lifts the block and deletes the messages recorded under it; false when the contact was not blocked.</summary>
    public async Task<bool> UnblockAsync(string channel, string contactId, string agent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(contactId);

        // Asked for, not stored: nothing of a lifted block is kept, not even who lifted it.
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        var id = Normalize(channel, contactId);
        if (await GetAsync(channel, id, cancellationToken).ConfigureAwait(false) is not { } existing)
        {
            return false;
        }

        try
        {
            await _index.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.Delete, new TableEntity(Partition, BlockRow(channel, id)), existing.HeadETag),
                    new(TableTransactionActionType.Delete, new TableEntity(Partition, ListRow(channel, id, existing.Block.BlockedAt)), ETag.All),
                ],
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
        {
            // Unblocked (and perhaps blocked again) by someone else meanwhile: theirs stands.
            return false;
        }

        await DeleteMessagesAsync(channel, id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The current blocks, newest first; at most <see cref="MaxListed"/> (the newest).</summary>
    public async Task<IReadOnlyList<ContactBlock>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await _index.FirstAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {"t|"} and RowKey lt {"t}"}"), MaxListed, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(FromEntity)];
    }

    /// <summary>Up to <paramref name="max"/> (at most <see cref="MaxMessagesListed"/>) messages recorded as blocked for the contact, newest first.</summary>
    public async Task<IReadOnlyList<BlockedMessage>> BlockedMessagesAsync(string channel, string contactId, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(contactId);
        if (max <= 0)
        {
            return [];
        }

        var (from, to) = Range("m", channel, Normalize(channel, contactId));
        var rows = await _index.FirstAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {from} and RowKey lt {to}"), Math.Min(max, MaxMessagesListed), cancellationToken)
            .ConfigureAwait(false);
        return [.. rows.Select(r => new BlockedMessage(r.GetDateTimeOffset("At")!.Value, r.GetString("Text") ?? "", r.GetString("ProviderMessageId")))];
    }

    /// <summary>
    /// Records the message as blocked when its contact is blocked, once per provider message id, and counts it on the
    /// block; one point read when the contact is not blocked. <paramref name="text"/> must be redacted already.
    /// </summary>
    public async Task<BlockedRecording> RecordIfBlockedAsync(
        string channel, string contactId, string text, string? providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(contactId);
        ArgumentNullException.ThrowIfNull(text);
        var id = Normalize(channel, contactId);
        for (var attempt = 1; ; attempt++)
        {
            var head = await _index.GetEntityIfExistsAsync<TableEntity>(Partition, BlockRow(channel, id), ["BlockedAtTicks"], cancellationToken).ConfigureAwait(false);
            if (!head.HasValue)
            {
                return BlockedRecording.NotBlocked;
            }

            var blockedAt = new DateTimeOffset(head.Value!.GetInt64("BlockedAtTicks")!.Value, TimeSpan.Zero);
            var listRow = ListRow(channel, id, blockedAt);
            var listed = await _index.GetEntityIfExistsAsync<TableEntity>(Partition, listRow, ["BlockedMessages"], cancellationToken).ConfigureAwait(false);
            if (!listed.HasValue)
            {
                // Unblocked between the two reads.
                return BlockedRecording.NotBlocked;
            }

            var now = time.GetUtcNow();
            var unique = providerMessageId is null ? Guid.NewGuid().ToString("N") : Part(providerMessageId);
            var message = new TableEntity(Partition, $"{ContactRow("m", channel, id)}|{Reversed(now)}|{unique}")
            {
                ["At"] = now,
                ["Text"] = Clip(text, MaxTextLength),
                ["ProviderMessageId"] = providerMessageId,
            };
            var count = new TableEntity(Partition, listRow)
            {
                ["BlockedMessages"] = (listed.Value!.GetInt32("BlockedMessages") ?? 0) + 1,
                ["LastBlockedMessageAt"] = now,
            };
            List<TableTransactionAction> actions =
            [
                new(TableTransactionActionType.Add, message),
                new(TableTransactionActionType.UpdateMerge, count, listed.Value.ETag),
            ];
            if (providerMessageId is not null)
            {
                actions.Add(new(TableTransactionActionType.Add, new TableEntity(Partition, $"{ContactRow("p", channel, id)}|{unique}")));
            }

            try
            {
                await _index.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return BlockedRecording.Recorded;
            }
            catch (TableTransactionFailedException ex) when (TableRows.IsConcurrencyFailure(ex.Status) || ex.Status == (int)HttpStatusCode.NotFound)
            {
                if (providerMessageId is not null
                    && (await _index.GetEntityIfExistsAsync<TableEntity>(Partition, $"{ContactRow("p", channel, id)}|{unique}", ["RowKey"], cancellationToken).ConfigureAwait(false)).HasValue)
                {
                    return BlockedRecording.Duplicate;
                }

                // Another message was counted first, or the block changed: read it again.
                if (attempt == MaxAttempts)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>How a contact id is compared: email addresses (email, web form) ignoring case and surrounding spaces.</summary>
    public static string Normalize(string channel, string contactId)
    {
        ArgumentNullException.ThrowIfNull(contactId);
        return channel is ChannelNames.Email or ChannelNames.Web ? contactId.Trim().ToLowerInvariant() : contactId;
    }

    private async Task<(ContactBlock Block, ETag HeadETag)?> GetAsync(string channel, string id, CancellationToken cancellationToken)
    {
        var head = await _index.GetEntityIfExistsAsync<TableEntity>(Partition, BlockRow(channel, id), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!head.HasValue)
        {
            return null;
        }

        var blockedAt = new DateTimeOffset(head.Value!.GetInt64("BlockedAtTicks")!.Value, TimeSpan.Zero);
        var listed = await _index.GetEntityIfExistsAsync<TableEntity>(Partition, ListRow(channel, id, blockedAt), cancellationToken: cancellationToken).ConfigureAwait(false);
        return listed.HasValue ? (FromEntity(listed.Value!), head.Value.ETag) : null;
    }

    /// <summary>The messages and markers recorded under a lifted block, a hundred rows a transaction.</summary>
    private async Task DeleteMessagesAsync(string channel, string id, CancellationToken cancellationToken)
    {
        foreach (var kind in (string[])["m", "p"])
        {
            var (from, to) = Range(kind, channel, id);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {from} and RowKey lt {to}");
            while (true)
            {
                var rows = await _index.FirstAsync(filter, 100, cancellationToken).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    break;
                }

                await _index.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    private static TableEntity ToEntity(ContactBlock block) => new(Partition, ListRow(block.Channel, block.ContactId, block.BlockedAt))
    {
        ["Channel"] = block.Channel,
        ["ContactId"] = block.ContactId,
        ["Name"] = block.Name,
        ["Agent"] = block.Agent,
        ["Reason"] = block.Reason,
        ["BlockedAt"] = block.BlockedAt,
        ["BlockedMessages"] = block.BlockedMessages,
        ["LastBlockedMessageAt"] = block.LastBlockedMessageAt,
    };

    private static ContactBlock FromEntity(TableEntity e) => new(
        e.GetString("Channel"),
        e.GetString("ContactId"),
        e.GetString("Name"),
        e.GetString("Agent"),
        e.GetString("Reason"),
        e.GetDateTimeOffset("BlockedAt")!.Value,
        e.GetInt32("BlockedMessages") ?? 0,
        e.GetDateTimeOffset("LastBlockedMessageAt"));

    private static string BlockRow(string channel, string contactId) => ContactRow("c", channel, Normalize(channel, contactId));

    private static string ListRow(string channel, string id, DateTimeOffset blockedAt) => $"t|{Reversed(blockedAt)}|{Part(channel)}|{Part(id)}";

    private static string ContactRow(string kind, string channel, string id) => $"{kind}|{Part(channel)}|{Part(id)}";

    /// <summary>The row keys strictly between these two are the contact's rows of this kind ('}' sorts right after '|').</summary>
    private static (string From, string To) Range(string kind, string channel, string id)
    {
        var prefix = ContactRow(kind, channel, id);
        return (prefix + "|", prefix + "}");
    }

    /// <summary>Newest first in key order.</summary>
    private static string Reversed(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>A value as one part of a row key: safe (<see cref="TableRows.Key"/>), without <c>|</c>, at most 200 characters; else the hash of the value.</summary>
    private static string Part(string value)
    {
        var key = TableRows.Key(value);
        return key.Length <= MaxPart && !key.Contains('|', StringComparison.Ordinal)
            ? key
            : "~~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }

    private static string? Clip(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= max ? value.Trim() : string.Concat(value.AsSpan(0, max - 1), "…");
}
