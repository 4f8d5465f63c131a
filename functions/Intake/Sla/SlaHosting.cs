using Azure.Data.Tables;
using Intake.Storage;
using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Sla;

public static class SlaHosting
{
    /// <summary>
    /// <see cref="SlaOptions"/> (validated at start-up) and the due-time index and metrics (<see cref="SlaStore"/>, kept in
    /// step with every ticket write). Watching the due times and telling on-call is <c>Escalation</c>'s.
    /// </summary>
    public static IHostApplicationBuilder AddSla(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new SlaStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        builder.Services.AddSingleton<ITicketProjection>(sp => sp.GetRequiredService<SlaStore>());
        return builder;
    }

    /// <summary><c>GET /api/metrics/sla</c>, behind an agent key; <paramref name="api"/> is the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapSla(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/metrics").AddEndpointFilter<ApiKeyFilter>().MapGet("/sla", SlaMetricsEndpoints.GetAsync);
        return api;
    }
}
