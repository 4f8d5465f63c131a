using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Intake.Tickets;
using Microsoft.Extensions.Options;

namespace Intake.Channels.WebForm;

/// <summary>
/// The web form's limits, on the platform's partitioned rate limiter (System.Threading.RateLimiting): a fixed window
/// per client address (<see cref="WebFormOptions.SubmissionsPerWindow"/>; an IPv6 client is its /64, which one host
/// owns whole) and per sending email address (<see cref="WebFormOptions.SubmissionsPerAddress"/>, by
/// <see cref="Mailboxes"/>).
/// <para>
/// Memory is bounded: keys are spread by a per-process randomised hash over <see cref="WebFormOptions.RateLimitPartitions"/>
/// partitions, so each limit holds at most that many windows (idle ones are dropped 10 s after they refill) however many
/// addresses a flood rotates through. When more clients are active in a window than there are partitions, clients share
/// a window and may be limited sooner than their own count says; never later. The limiter is per process: under Azure
/// Functions every instance counts on its own, and a flood is for the front door to stop (docs/channels.md, "Rate limits").
/// </para>
/// </summary>
public sealed class SubmissionRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _clients;
    private readonly PartitionedRateLimiter<string> _senders;
    private readonly TimeSpan _window;

    public SubmissionRateLimiter(IOptions<WebFormOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _window = settings.Window;
        _clients = Create(settings.SubmissionsPerWindow, settings.Window, settings.RateLimitPartitions);
        _senders = Create(settings.SubmissionsPerAddress, settings.Window, settings.RateLimitPartitions);
    }

    /// <summary>One more submission from the client <paramref name="clientKey"/> (<see cref="ClientKey"/>); false, with how long to wait, past its limit.</summary>
    public bool TryAcquire(string clientKey, out TimeSpan retryAfter) => TryAcquire(_clients, clientKey, out retryAfter);

    /// <summary>One more submission giving <paramref name="email"/>; false, with how long to wait, past its limit.</summary>
    public bool TryAcquireSender(string email, out TimeSpan retryAfter) => TryAcquire(_senders, Mailboxes.Of(email), out retryAfter);

    /// <summary>Whom the per-client limit counts: an IPv4 address, or the /64 of an IPv6 one (mapped IPv4 counts as IPv4).</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose()
    {
        _clients.Dispose();
        _senders.Dispose();
    }

    private bool TryAcquire(PartitionedRateLimiter<string> limiter, string key, out TimeSpan retryAfter)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        // A fixed window reports its whole length as the wait: an upper bound, so a client told to wait is never refused again for it.
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : _window;
        return false;
    }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window, int partitions)
    {
        var limit = new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 };

        // string.GetHashCode is randomised per process, so nobody can pick addresses that land on a victim's partition.
        return PartitionedRateLimiter.Create<string, int>(
            key => RateLimitPartition.GetFixedWindowLimiter((int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)partitions), _ => limit));
    }
}
