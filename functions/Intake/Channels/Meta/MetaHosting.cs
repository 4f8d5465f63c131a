using Intake.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Intake.Channels.Meta;

public static class MetaHosting
{
    /// <summary>
    /// Messenger, Instagram and WhatsApp: <see cref="MetaOptions"/> and <see cref="WhatsAppOptions"/> (validated at
    /// start-up), the webhook's handler, the <c>MetaGraph</c> HttpClient with its short retries, and a reply sender per
    /// channel as <see cref="IReplySender"/>s.
    /// </summary>
    public static IHostApplicationBuilder AddMetaChannels(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<MetaOptions>().BindConfiguration(MetaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Tokens travel only in the Authorization header, but request logging has no business near them: no loggers.
        builder.Services.AddHttpClient(GraphApi.HttpClientName, client => client.Timeout = GraphApi.Timeout)
            .RemoveAllLoggers()
            .AddResilienceHandler("graph-retries", (pipeline, context) => GraphApi.ConfigureRetries(pipeline, context.ServiceProvider.GetRequiredService<TimeProvider>()));

        builder.Services.AddSingleton<MetaWebhook>();
        builder.Services.AddSingleton<IReplySender>(services => ActivatorUtilities.CreateInstance<MessengerReplySender>(services, MetaEvents.Messenger));
        builder.Services.AddSingleton<IReplySender>(services => ActivatorUtilities.CreateInstance<MessengerReplySender>(services, MetaEvents.Instagram));
        builder.Services.AddSingleton<IReplySender, WhatsAppReplySender>();
        return builder;
    }

    /// <summary>The webhook of all three: its handshake (<c>GET /api/intake/meta</c>) and its events (<c>POST</c>); <paramref name="api"/> is the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapMeta(this IEndpointRouteBuilder api)
    {
        api.MapGet("/intake/meta", MetaEndpoints.Verify);

        // JSON signed with the app secret, with no cookie for a forged post to ride on: nothing for antiforgery to protect.
        api.MapPost("/intake/meta", MetaEndpoints.ReceiveAsync).DisableAntiforgery();
        return api;
    }
}
