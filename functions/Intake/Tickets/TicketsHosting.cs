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
    /// The tickets in Tables (<see cref="TicketStore"/>) with their status listing (<see cref="TicketListing"/>). Needs the
    /// <see cref="TableServiceClient"/> and <see cref="StorageOptions"/> the host registers.
    /// </summary>
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(sp => new TicketListing(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        builder.Services.AddSingleton<ITicketProjection>(sp => sp.GetRequiredService<TicketListing>());
        builder.Services.AddSingleton(sp => new TicketStore(
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix,
            sp.GetServices<ITicketProjection>()));
        return builder;
    }

    /// <summary>The agent API's reads, <c>GET /api/tickets/{id}</c> and <c>GET /api/tickets</c>, behind an agent key; <paramref name="api"/> is the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapTickets(this IEndpointRouteBuilder api)
    {
        var tickets = api.MapGroup("/tickets").AddEndpointFilter<ApiKeyFilter>();
        tickets.MapGet("/{id}", TicketEndpoints.GetAsync);
        tickets.MapGet("/", TicketEndpoints.ListAsync);
        return api;
    }
}
