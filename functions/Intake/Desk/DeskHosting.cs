using Azure.Data.Tables;
using Intake.Desk.Dashboard;
using Intake.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Desk;

public static class DeskHosting
{
    /// <summary>The agents' desk: its options (<see cref="DeskOptions"/>), sessions and sign-in, and the lead's dashboard.</summary>
    public static IHostApplicationBuilder AddDesk(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddDashboard();
        builder.Services.AddOptions<DeskOptions>().BindConfiguration(DeskOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new DeskSessionStore(
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptionsMonitor<DeskOptions>>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        builder.Services.AddSingleton<DeskSignIn>();
        return builder;
    }

    /// <summary>
    /// The desk's pages, outside <c>/api</c> like the support pages: HTML forms with a session cookie and a form token in
    /// each (<see cref="DeskSignIn"/>), which is why ASP.NET Core's own antiforgery is off on them (it would need the
    /// same cookie and data-protection keys shared by every instance of both hosts).
    /// </summary>
    public static IEndpointRouteBuilder MapDesk(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DeskPaths.SignIn, DeskEndpoints.GetSignInAsync);
        endpoints.MapPost(DeskPaths.SignIn, DeskEndpoints.PostSignInAsync).DisableAntiforgery();
        endpoints.MapPost(DeskPaths.SignOut, DeskEndpoints.PostSignOutAsync).DisableAntiforgery();
        endpoints.MapGet(DeskPaths.Queue, DeskEndpoints.GetQueueAsync);
        endpoints.MapGet(DeskPaths.Queue + "/tickets/{id}", DeskEndpoints.GetTicketAsync);
        endpoints.MapPost(DeskPaths.Queue + "/tickets/{id}/{action}", DeskEndpoints.PostTicketAsync).DisableAntiforgery();
        endpoints.MapGet(DeskPaths.Dashboard, DeskEndpoints.GetDashboardAsync);
        endpoints.MapGet(DeskPaths.Blocked, DeskEndpoints.GetBlockedAsync);
        endpoints.MapPost(DeskPaths.Blocked, DeskEndpoints.PostBlockAsync).DisableAntiforgery();
        endpoints.MapPost(DeskPaths.Blocked + "/remove", DeskEndpoints.PostUnblockAsync).DisableAntiforgery();
        return endpoints;
    }
}
