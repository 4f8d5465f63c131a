using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Intake.Storage;
using Microsoft.Extensions.Options;

namespace Intake.Desk;

/// <summary>A signed-in agent: who, the token every form of the session carries (antiforgery), and until when.</summary>
public sealed record DeskSession(string Agent, string FormToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Desk sessions and sign-in lockouts in the <c>DeskSessions</c> table. A session's row is keyed by the SHA-256 of its
/// token, so the table never holds what the cookie holds; it keeps the agent, the form token and the times, and sign-out
/// deletes it (a stolen cookie stops working at once). A lockout's row is keyed by the SHA-256 of the name tried
/// (known or not, so that answers tell nothing about which names exist) and counts failures with the row's ETag, so that
/// guesses sent at once are all counted.
/// </summary>
public sealed class DeskSessionStore(TableServiceClient tables, TimeProvider time, IOptionsMonitor<DeskOptions> options, string prefix = "")
{
    public const string Table = "DeskSessions";
    private const string SessionPartition = "session";
    private const string LockoutPartition = "lockout";
    private const int MaxAttempts = 8;

    /// <summary>A session's last-seen time is written at most this often: a page view is a read, not a write.</summary>
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(5);

    private readonly TableClient _table = tables.GetTableClient(prefix + Table);

    public async Task CreateTableAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A new session for <paramref name="agent"/>; the token goes in the cookie and nowhere else.</summary>
    public async Task<(string Token, DeskSession Session)> StartAsync(string agent, CancellationToken cancellationToken)
    {
        var token = NewToken();
        var now = time.GetUtcNow();
        var session = new DeskSession(agent, NewToken(), now + options.CurrentValue.SessionLifetime);
        await _table.AddEntityAsync(
            new TableEntity(SessionPartition, Hash(token))
            {
                ["Agent"] = session.Agent,
                ["FormToken"] = session.FormToken,
                ["CreatedAt"] = now,
                ["ExpiresAt"] = session.ExpiresAt,
                ["SeenAt"] = now,
            },
            cancellationToken).ConfigureAwait(false);
        return (token, session);
    }

    /// <summary>The live session of <paramref name="token"/>; null for none, an expired one or one idle too long (then deleted).</summary>
    public async Task<DeskSession?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is not { Length: > 0 and <= 128 })
        {
            return null;
        }

        var key = Hash(token);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(SessionPartition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        var entity = row.Value!;
        var now = time.GetUtcNow();
        var seen = entity.GetDateTimeOffset("SeenAt") ?? DateTimeOffset.MinValue;
        var expires = entity.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue;
        if (now >= expires || now - seen >= options.CurrentValue.IdleTimeout || entity.GetString("Agent") is not { } agent || entity.GetString("FormToken") is not { } form)
        {
            // Two requests of an expired session may both get here: the second finds the row gone.
            await _table.DeleteIfExistsAsync(SessionPartition, key, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (now - seen >= TouchEvery)
        {
            // Two requests at once may both write it: either time will do. Signed out meanwhile: no session.
            try
            {
                await _table.UpdateEntityAsync(new TableEntity(SessionPartition, key) { ["SeenAt"] = now }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        return new DeskSession(agent, form, expires);
    }

    /// <summary>Ends the session of <paramref name="token"/>, if there is one.</summary>
    public async Task EndAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is not { Length: > 0 and <= 128 })
        {
            return;
        }

        await _table.DeleteIfExistsAsync(SessionPartition, Hash(token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Until when sign-ins as <paramref name="name"/> are refused; null when they are not.</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string name, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(LockoutPartition, Hash(Normalize(name)), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetDateTimeOffset("LockedUntil") is { } until && until > time.GetUtcNow() ? until : null;
    }

    /// <summary>
    /// Counts a failed sign-in as <paramref name="name"/>: failures older than the window start the count again; the one
    /// that reaches <see cref="DeskOptions.MaxFailedSignIns"/> locks the name. Answers until when it is locked, if it is.
    /// </summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(string name, CancellationToken cancellationToken)
    {
        var key = Hash(Normalize(name));
        var settings = options.CurrentValue;
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(LockoutPartition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            var (failures, since) = row.HasValue && row.Value!.GetDateTimeOffset("Since") is { } start && now - start < settings.LockoutWindow
                ? (row.Value.GetInt32("Failures") ?? 0, start)
                : (0, now);
            failures++;
            DateTimeOffset? lockedUntil = failures >= settings.MaxFailedSignIns ? now + settings.LockoutDuration : null;

            // A lock that is on stays on: a failure during it neither shortens nor resets it.
            if (row.HasValue && row.Value!.GetDateTimeOffset("LockedUntil") is { } current && current > now)
            {
                lockedUntil = lockedUntil is { } next && next > current ? next : current;
            }

            var entity = new TableEntity(LockoutPartition, key)
            {
                ["Failures"] = lockedUntil is null ? failures : 0,
                ["Since"] = lockedUntil is null ? since : now,
            };
            if (lockedUntil is { } until)
            {
                entity["LockedUntil"] = until;
            }

            try
            {
                if (row.HasValue)
                {
                    await _table.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return lockedUntil;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Another failure was counted in between: count this one on top of it.
            }
        }
    }

    /// <summary>A successful sign-in forgets the name's failures.</summary>
    public Task ClearFailuresAsync(string name, CancellationToken cancellationToken) =>
        _table.DeleteIfExistsAsync(LockoutPartition, Hash(Normalize(name)), cancellationToken);

    /// <summary>A random token: 256 bits, URL-safe.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Normalize(string name) => name.Trim().ToUpperInvariant();

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))).ToLower(CultureInfo.InvariantCulture);
}
