using Intake.Triage;

namespace Intake.Sla;

/// <summary>Response-time targets per urgency (DESIGN §8 defaults; 24/7). Bound from <c>Sla:Urgent:FirstResponse</c> and so on.</summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";

    public SlaTarget Urgent { get; set; } = new() { FirstResponse = TimeSpan.FromMinutes(15), Resolution = TimeSpan.FromHours(4) };

    public SlaTarget High { get; set; } = new() { FirstResponse = TimeSpan.FromHours(1), Resolution = TimeSpan.FromHours(24) };

    public SlaTarget Normal { get; set; } = new() { FirstResponse = TimeSpan.FromHours(4), Resolution = TimeSpan.FromHours(72) };

    public SlaTarget Low { get; set; } = new() { FirstResponse = TimeSpan.FromHours(24), Resolution = TimeSpan.FromDays(7) };

    public SlaTarget For(Urgency urgency) => urgency switch
    {
        Urgency.Urgent => Urgent,
        Urgency.High => High,
        Urgency.Normal => Normal,
        _ => Low,
    };
}

public sealed class SlaTarget
{
    public TimeSpan FirstResponse { get; set; }

    public TimeSpan Resolution { get; set; }
}
