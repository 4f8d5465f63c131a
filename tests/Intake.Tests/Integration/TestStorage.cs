namespace Intake.Tests.Integration;

/// <summary>Tests share one Azurite; each keeps to its own tables and queues through a name prefix.</summary>
public static class TestStorage
{
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];
}
