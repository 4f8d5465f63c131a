using Azure.Data.Tables;
using Intake.Storage;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Desk.Dashboard;

public static class DashboardHosting
{
    /// <summary>
    /// <see cref="DashboardData"/> and the volume it reads (<see cref="TicketVolume"/>, a projection of every ticket
    /// write), over the stores the SLA, survey and help-center registrations put in place. The page
    /// (<see cref="DashboardPage"/>) and its route are whoever serves <c>/desk/dashboard</c>'s.
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(sp => new TicketVolume(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        builder.Services.AddSingleton<ITicketProjection>(sp => sp.GetRequiredService<TicketVolume>());
        builder.Services.AddSingleton<DashboardData>();
        return builder;
    }
}
