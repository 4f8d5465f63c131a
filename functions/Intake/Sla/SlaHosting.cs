using Azure.Data.Tables;
using Intake.Messaging;
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
    /// <see cref="SlaOptions"/> (validated at start-up), the due-time index and metrics (<see cref="SlaStore"/>, kept in
    /// step with every ticket write), the escalation notices and the monitor (the host runs it on its schedule).
    /// </summary>
    public static IHostApplicationBuilder AddSla(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new SlaStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        builder.Services.AddSingleton<ITicketProjection>(sp => sp.GetRequiredService<SlaStore>());
        builder.Services.AddSingleton<EscalationNotifier>();
        builder.Services.AddSingleton<SlaMonitor>();
        builder.Services.AddTicketEventHandler<EscalationHandler>();
        return builder;
    }

    /// <summary><c>GET /api/metrics/sla</c>, behind an agent key; <paramref name="api"/> is the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapSla(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/metrics").AddEndpointFilter<ApiKeyFilter>().MapGet("/sla", SlaMetricsEndpoints.GetAsync);
        return api;
    }
}
