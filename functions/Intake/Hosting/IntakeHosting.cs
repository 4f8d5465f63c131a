using Intake.Triage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Hosting;

public sealed record HealthReport(string Status, TriageHealth Triage);

public sealed record TriageHealth(int Rules);

public static class IntakeHosting
{
    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(_ => TriageEngine.Default);
        return builder;
    }

    public static IEndpointRouteBuilder MapIntake(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/health", (TriageEngine triage) => TypedResults.Ok(new HealthReport("ok", new TriageHealth(triage.RuleCount))));
        return endpoints;
    }
}
