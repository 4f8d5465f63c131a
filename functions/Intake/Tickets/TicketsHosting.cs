using Azure.Data.Tables;
using Intake.Storage;
using Intake.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Tickets;

public static class TicketsHosting
{
    /// <summary>
    /// The tickets in Tables (<see cref="TicketStore"/>) with their status listing (<see cref="TicketListing"/>), the blocked
    /// contacts (<see cref="ContactBlocks"/>), and the signed links to a ticket's customer pages (<see cref="StatusLinks"/>). Needs the
    /// <see cref="TableServiceClient"/> and <see cref="StorageOptions"/> the host registers.
    /// </summary>
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<StatusLinks>();
        builder.Services.AddSingleton(sp => new TicketListing(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        builder.Services.AddSingleton<ITicketProjection>(sp => sp.GetRequiredService<TicketListing>());
        builder.Services.AddSingleton(sp => new TicketStore(
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix,
            sp.GetServices<ITicketProjection>()));
        builder.Services.AddSingleton(sp => new ContactBlocks(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        return builder;
    }
}
