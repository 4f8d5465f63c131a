namespace Intake.Tests.Integration;

/// <summary>
/// A clock that stands still until the test moves it, whose timers run in real time (the base <see cref="TimeProvider"/>'s),
/// unlike a <c>FakeTimeProvider</c>, whose <c>Advance</c> fires every timer due: for a test that drives a periodic
/// service by hand and must not have the host's own timer fire in the middle, yet needs exact durations.
/// </summary>
public sealed class StoppedClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
}
