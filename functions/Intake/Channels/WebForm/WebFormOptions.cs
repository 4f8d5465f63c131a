using System.ComponentModel.DataAnnotations;

namespace Intake.Channels.WebForm;

/// <summary>
/// The <c>WebForm</c> section: how many submissions one client address, and one sending email address, may make per
/// window, and how many partitions the limiter keeps. Behind a proxy or load balancer, enable forwarded headers
/// (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>) or every client shares the proxy's address.
/// </summary>
public sealed class WebFormOptions : IValidatableObject
{
    public const string Section = "WebForm";

    /// <summary>Submissions one client (an IPv4 address, or an IPv6 /64) may make per <see cref="Window"/>.</summary>
    [Range(1, 10_000)]
    public int SubmissionsPerWindow { get; set; } = 20;

    /// <summary>
    /// Submissions that give one email address (as <see cref="Tickets.Mailboxes"/> counts it: <c>name+tag@</c> is
    /// <c>name@</c>) may make per <see cref="Window"/>, from whatever clients they come.
    /// </summary>
    [Range(1, 10_000)]
    public int SubmissionsPerAddress { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most counters each limit keeps (about 300 bytes each): clients are spread over this many by a hash, so memory
    /// stays bounded however many addresses a flood rotates through. Past it, clients share counters and are limited sooner.
    /// </summary>
    [Range(64, 1 << 20)]
    public int RateLimitPartitions { get; set; } = 16_384;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromDays(1))
        {
            yield return new($"{Section}:{nameof(Window)} must be between 00:00:01 and 1.00:00:00 (default 00:10:00).", [nameof(Window)]);
        }
    }
}
