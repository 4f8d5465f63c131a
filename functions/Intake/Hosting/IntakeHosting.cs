using Intake.Triage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Hosting;

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
        api.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
        return endpoints;
    }
}
