namespace Intake.Tests.Integration;

/// <summary>
/// The system clock moved by an offset: what the host reads as "now" can jump days ahead, while its timers, delays and
/// timestamps keep running in real time (a <c>FakeTimeProvider</c> would stop the host's queue worker).
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
