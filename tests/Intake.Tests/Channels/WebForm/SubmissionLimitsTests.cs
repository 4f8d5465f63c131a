using System.Net;
using Intake.Channels.WebForm;
using Intake.Tests.Integration;
using Microsoft.Extensions.Options;

namespace Intake.Tests.Channels.WebForm;

/// <summary>The web form's limits on the platform's partitioned rate limiter: windows that refill, and what a full partition table means.</summary>
public sealed class SubmissionLimitsTests
{
    private static SubmissionRateLimiter Limiter(int perWindow, TimeSpan window, int partitions = 16_384, int perAddress = 5) =>
        new(Options.Create(new WebFormOptions { SubmissionsPerWindow = perWindow, SubmissionsPerAddress = perAddress, Window = window, RateLimitPartitions = partitions }));

    [Fact]
    public async Task A_client_refused_for_the_window_is_let_in_again_once_it_has_passed()
    {
        using var limiter = Limiter(perWindow: 1, window: TimeSpan.FromSeconds(1));

        Assert.True(limiter.TryAcquire("192.0.2.1", out _));
        Assert.False(limiter.TryAcquire("192.0.2.1", out var retryAfter));

        // The platform's limiter keeps its own clock (it takes no TimeProvider): wait for the refill rather than assume its timing.
        Assert.InRange(retryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        await IntakeHost.WaitForAsync(() => Task.FromResult(limiter.TryAcquire("192.0.2.1", out _) ? "" : null), "the window to refill");
    }

    [Fact]
    public void Other_clients_are_not_limited_by_one_that_is()
    {
        using var limiter = Limiter(perWindow: 1, window: TimeSpan.FromMinutes(10));

        Assert.True(limiter.TryAcquire("192.0.2.1", out _));
        Assert.False(limiter.TryAcquire("192.0.2.1", out _));
        Assert.True(limiter.TryAcquire("192.0.2.2", out _));
        Assert.True(limiter.TryAcquire(SubmissionRateLimiter.ClientKey(IPAddress.Parse("2001:db8:0:1::1")), out _));
    }

    [Fact]
    public void With_more_clients_than_partitions_clients_share_windows_and_are_limited_sooner_never_later()
    {
        using var limiter = Limiter(perWindow: 1, window: TimeSpan.FromMinutes(10), partitions: 64);

        var admitted = Enumerable.Range(0, 1000).Count(i => limiter.TryAcquire($"198.51.100.{i / 250}.{i % 250}", out _));

        // One submission per partition at most: 64 windows is all the memory this limit holds, whatever the flood.
        Assert.InRange(admitted, 1, 64);
    }

    [Fact]
    public void Spellings_of_one_mailbox_share_the_per_address_limit()
    {
        using var limiter = Limiter(perWindow: 100, window: TimeSpan.FromMinutes(10), perAddress: 2);

        Assert.True(limiter.TryAcquireSender("someone+a@gmail.com", out _));
        Assert.True(limiter.TryAcquireSender("some.one@gmail.com", out _));
        Assert.False(limiter.TryAcquireSender("SOMEONE@googlemail.com", out var retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(10), retryAfter);
        Assert.True(limiter.TryAcquireSender("someone.else@gmail.com", out _));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:10:00")]
    [InlineData("2.00:00:00")]
    public void A_window_outside_one_second_to_one_day_is_refused(string window)
    {
        var options = new WebFormOptions { Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.NotEmpty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }
}
