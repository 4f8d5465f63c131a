using System.ComponentModel.DataAnnotations;

namespace Intake.Desk;

/// <summary>
/// The <c>Desk</c> section: the agents' desk at <c>/desk</c>. Agents sign in with their name and the key of
/// <c>Intake:ApiKeys:&lt;name&gt;</c>; a session lasts <see cref="SessionLifetime"/> at most and ends after
/// <see cref="IdleTimeout"/> without a request; <see cref="MaxFailedSignIns"/> wrong keys for one name within
/// <see cref="LockoutWindow"/> lock that name out for <see cref="LockoutDuration"/>.
/// </summary>
public sealed class DeskOptions
{
    public const string Section = "Desk";

    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Tickets on a page of the queue.</summary>
    [Range(5, 100)]
    public int PageSize { get; set; } = 25;
}
