namespace Intake.Triage;

public sealed class TriageEngine
{
    public static TriageEngine Default { get; } = new();
}
