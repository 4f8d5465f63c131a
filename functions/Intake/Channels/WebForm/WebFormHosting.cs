using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Channels.WebForm;

public static class WebFormHosting
{
    /// <summary>
    /// The web form: <see cref="WebFormOptions"/> (validated at start-up), the status and verify links, the per-address
    /// rate limit and the intake. Needs <c>IntakeOptions</c>, which the host registers.
    /// </summary>
    public static IHostApplicationBuilder AddWebFormChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<WebFormOptions>().BindConfiguration(WebFormOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SubmissionRateLimiter>();
        services.AddSingleton<WebFormIntake>();
        return builder;
    }

    /// <summary>The form's JSON intake, <c>POST /api/intake/web</c>; <paramref name="api"/> is the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapWebForm(this IEndpointRouteBuilder api)
    {
        api.MapPost("/intake/web", WebFormEndpoints.SubmitAsync).DisableAntiforgery();
        return api;
    }

    /// <summary>The <c>/support</c> pages: the form, a ticket's status page and the verify page.</summary>
    public static IEndpointRouteBuilder MapSupportPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SupportPageEndpoints.FormPath, SupportPageEndpoints.GetForm);

        // An anonymous form with no session or cookie for a forged post to ride on, so an antiforgery token would
        // protect nothing; the per-address rate limit and the honeypot are what stand in front of it.
        endpoints.MapPost(SupportPageEndpoints.FormPath, SupportPageEndpoints.PostAsync).DisableAntiforgery();
        endpoints.MapGet(SupportPageEndpoints.FormPath + "/status/{reference}", SupportPageEndpoints.GetStatusAsync);

        // The verify link's token is the authority, and the page's own button is the only form that posts there.
        endpoints.MapGet(SupportPageEndpoints.FormPath + "/verify/{reference}", SupportPageEndpoints.GetVerifyAsync);
        endpoints.MapPost(SupportPageEndpoints.FormPath + "/verify/{reference}", SupportPageEndpoints.PostVerifyAsync).DisableAntiforgery();
        return endpoints;
    }
}
