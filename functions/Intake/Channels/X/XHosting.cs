using Intake.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Intake.Channels.X;

public static class XHosting
{
    /// <summary>
    /// The X direct-message channel: <see cref="XOptions"/> (validated at start-up), the <c>X</c> HttpClient, the
    /// webhook's handler, and the reply sender as one of the <see cref="IReplySender"/>s.
    /// </summary>
    public static IHostApplicationBuilder AddXChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<XOptions>()
            .BindConfiguration(XOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Every request carries the bearer token and the message text: no request logging at all.
        builder.Services.AddHttpClient(XReplySender.HttpClientName, client => client.Timeout = XReplySender.Timeout)
            .RemoveAllLoggers();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<XWebhook>();
        builder.Services.AddSingleton<IReplySender, XReplySender>();
        return builder;
    }

    /// <summary>The Account Activity webhook: its CRC check (<c>GET /api/intake/x</c>) and its events (<c>POST</c>); <paramref name="api"/> is the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapX(this IEndpointRouteBuilder api)
    {
        api.MapGet("/intake/x", XEndpoints.Crc);

        // JSON signed with the consumer secret, with no cookie for a forged post to ride on: nothing for antiforgery to protect.
        api.MapPost("/intake/x", XEndpoints.ReceiveAsync).DisableAntiforgery();
        return api;
    }
}
