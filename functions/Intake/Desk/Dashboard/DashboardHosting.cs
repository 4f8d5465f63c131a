using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Desk.Dashboard;

public static class DashboardHosting
{
    /// <summary>
    /// <see cref="DashboardData"/>, over the stores the SLA, survey and help-center registrations put in place. The page
    /// (<see cref="DashboardPage"/>) and its route are whoever serves <c>/desk/dashboard</c>'s.
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<DashboardData>();
        return builder;
    }
}
