using Azure.Data.Tables;
using Intake.Agents;
using Intake.Channels;
using Azure.Storage.Queues;
using Intake.Channels.Email;
using Intake.Channels.Meta;
using Intake.Channels.Telegram;
using Intake.Channels.WebForm;
using Intake.Channels.X;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Sla;
using Intake.Storage;
using Intake.Surveys;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Hosting;

public static class IntakeHosting
{
    /// <summary>Everything both hosts share: triage, tickets in Tables, the ticket queues, the worker, the replies.</summary>
    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => TriageEngine.Default);
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Resolved on first use, after start-up has settled the connection (Development may start Azurite first). A host
        // that registers its own clients first (Functions, with a managed identity in Azure) keeps them.
        services.TryAddSingleton(sp => new TableServiceClient(StorageConnection(sp)));
        services.TryAddSingleton(sp => new QueueServiceClient(StorageConnection(sp), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        services.AddSingleton(sp => new TicketStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.AddSingleton(sp => new StorageTicketQueue(
            sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.TryAddSingleton<ITicketQueue>(sp => sp.GetRequiredService<StorageTicketQueue>());
        services.AddSingleton<QueueOutbox>();
        services.AddSingleton<OutboxSweeper>();
        services.AddSingleton<TicketIntake>();
        services.AddTicketWorker();
        services.AddTicketEventHandler<AcknowledgementHandler>().AddTicketEventHandler<CustomerReplyHandler>();
        services.AddTicketEventHandler<AgentReplyHandler>();
        services.AddTicketEventHandler<SurveyHandler>().AddTicketEventHandler<SurveyThanksHandler>().AddTicketEventHandler<SurveyFollowUpHandler>();
        services.AddTicketEventHandler<EscalationHandler>();
        services.AddSingleton<AgentDesk>();
        services.AddSingleton<EscalationNotifier>();
        services.AddSingleton<SlaMonitor>();
        services.AddSingleton<ReplyRouter>();
        builder.AddTelegramChannel();
        builder.AddXChannel();
        builder.AddMetaChannels();
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>());
        services.AddOptions<WebFormOptions>().BindConfiguration(WebFormOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StatusLinks>();
        services.AddOptions<SurveyOptions>().BindConfiguration(SurveyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SurveyTokens>();
        services.AddSingleton(sp => new SurveyStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.AddSingleton<SurveyDesk>();

        // Request logging would print the URL with its query, and a survey's query is its token: only warnings from those categories.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.Matching", LogLevel.Warning);
        services.AddSingleton<AgentKeys>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddIntakeHealthChecks();
        services.AddSingleton<SubmissionRateLimiter>();
        services.AddSingleton<WebFormIntake>();
        builder.AddEmailChannel();
        services.AddHostedService<StorageInitializer>();
        return builder;
    }

    public static IEndpointRouteBuilder MapIntake(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/health", HealthEndpoint.Get);
        api.MapGroup("/health").AddEndpointFilter<ApiKeyFilter>().MapGet("/details", HealthEndpoint.DetailsAsync);
        api.MapPost("/intake/web", WebFormEndpoints.SubmitAsync).DisableAntiforgery();
        api.MapEmail();
        api.MapTelegram();
        api.MapX();
        api.MapMeta();

        var agents = api.MapGroup("/tickets").AddEndpointFilter<ApiKeyFilter>();
        agents.MapGet("/{id}", TicketEndpoints.GetAsync);
        agents.MapGet("/", TicketEndpoints.ListAsync);
        agents.MapPost("/{id}/replies", AgentEndpoints.ReplyAsync).DisableAntiforgery();
        agents.MapPost("/{id}/resolve", AgentEndpoints.ResolveAsync).DisableAntiforgery();
        agents.MapPost("/{id}/reopen", AgentEndpoints.ReopenAsync).DisableAntiforgery();
        agents.MapPost("/{id}/status-links/revoke", AgentEndpoints.RevokeStatusLinksAsync).DisableAntiforgery();
        agents.MapPatch("/{id}", AgentEndpoints.PatchAsync).DisableAntiforgery();

        // The survey pages are the customer's (anonymous); the token in the query (?token=) is the authority. Never in the
        // path: Application Insights stores request paths and strips queries.
        api.MapGet("/surveys", SurveyEndpoints.GetAsync);
        api.MapPost("/surveys", SurveyEndpoints.PostAsync).DisableAntiforgery();

        var metrics = api.MapGroup("/metrics").AddEndpointFilter<ApiKeyFilter>();
        metrics.MapGet("/sla", SlaMetricsEndpoints.GetAsync);
        metrics.MapGet("/csat", MetricsEndpoints.CsatAsync);

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

    internal static string StorageConnection(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()[StorageAccount.ConnectionSetting] is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException($"{StorageAccount.ConnectionSetting} is not configured.");
}
