using Intake.Outbound;

namespace Intake.Tests.Outbound;

public sealed class MessagingWindowsTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, false)]
    [InlineData(23 * 3600 + 3599, false)]
    [InlineData(24 * 3600, true)]
    [InlineData(25 * 3600, true)]
    public void The_window_closes_24_hours_after_the_customer_last_wrote(int secondsAgo, bool closed)
    {
        Assert.Equal(closed, MessagingWindows.IsClosed(Now.AddSeconds(-secondsAgo), Now));
    }

    [Fact]
    public void A_customer_who_never_wrote_has_no_open_window()
    {
        Assert.True(MessagingWindows.IsClosed(null, Now));
    }
}
