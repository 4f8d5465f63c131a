using Azure.Data.Tables;
using Intake.Storage;
using Intake.Messaging;
using Intake.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Surveys;

public static class SurveysHosting
{
    /// <summary><see cref="SurveyOptions"/> (validated at start-up), the survey tokens, the surveys in Tables and <see cref="SurveyDesk"/>.</summary>
    public static IHostApplicationBuilder AddSurveys(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SurveyOptions>().BindConfiguration(SurveyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SurveyTokens>();
        services.AddSingleton(sp => new SurveyStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.AddSingleton<SurveyDesk>();
        services.AddTicketEventHandler<SurveyHandler>().AddTicketEventHandler<SurveyThanksHandler>().AddTicketEventHandler<SurveyFollowUpHandler>();
        return builder;
    }

    /// <summary>
    /// The survey page (<c>GET</c> and <c>POST /api/surveys</c>) and <c>GET /api/metrics/csat</c> behind an agent key;
    /// <paramref name="api"/> is the <c>/api</c> group.
    /// </summary>
    public static IEndpointRouteBuilder MapSurveys(this IEndpointRouteBuilder api)
    {
        // The survey pages are the customer's (anonymous); the token in the query (?token=) is the authority. Never in the
        // path: Application Insights stores request paths and strips queries.
        api.MapGet("/surveys", SurveyEndpoints.GetAsync);
        api.MapPost("/surveys", SurveyEndpoints.PostAsync).DisableAntiforgery();
        api.MapGroup("/metrics").AddEndpointFilter<ApiKeyFilter>().MapGet("/csat", MetricsEndpoints.CsatAsync);
        return api;
    }
}
