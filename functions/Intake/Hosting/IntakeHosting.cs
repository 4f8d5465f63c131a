using Azure.Data.Tables;
using Azure.Storage.Queues;
using Intake.Agents;
using Intake.Channels;
using Intake.Channels.Email;
using Intake.Channels.Meta;
using Intake.Channels.Telegram;
using Intake.Channels.WebForm;
using Intake.Channels.X;
using Intake.Desk;
using Intake.Escalation;
using Intake.HelpCenter;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Sla;
using Intake.Storage;
using Intake.Surveys;
using Intake.Tickets;
using Intake.Triage;
using Intake.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Hosting;

public static class IntakeHosting
{
    /// <summary>
    /// Everything both hosts share: triage, tickets in Tables, the ticket queues, the worker, the replies. Each folder
    /// registers its own services (<c>Add&lt;Feature&gt;</c>), each called where its options were bound when all of
    /// this was written here: the order start-up validates options in, the order of the reply senders and of the hosted
    /// services, and which registration a TryAdd keeps, do not change.
    /// </summary>
    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => TriageEngine.Default);
        services.AddHostedService<TriageWarmUp>();
        builder.AddSla();
        builder.AddEscalation();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Resolved on first use, after start-up has settled the connection (Development may start Azurite first). A host
        // that registers its own clients first (Functions, with a managed identity in Azure) keeps them.
        services.TryAddSingleton(sp => new TableServiceClient(StorageAccount.ConnectionString(sp)));
        services.TryAddSingleton(sp => new QueueServiceClient(StorageAccount.ConnectionString(sp), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        builder.AddTickets();
        builder.AddMessaging();

        // The acknowledgement speaks for every channel (its text, the status or verify link, the channel's sender).
        services.AddTicketEventHandler<AcknowledgementHandler>().AddTicketEventHandler<CustomerReplyHandler>();
        builder.AddAgents();
        builder.AddOutbound();
        builder.AddTelegramChannel();
        builder.AddXChannel();
        builder.AddMetaChannels();
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>());
        builder.AddWebFormChannel();
        builder.AddSurveys();
        builder.AddHelpCenter();
        builder.AddDesk();

        // Request logging would print the URL with its query, and a survey's query is its token: only warnings from those categories.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.Matching", LogLevel.Warning);
        services.AddSingleton<AgentKeys>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddSingleton<StorageOutageFilter>();
        services.AddIntakeHealthChecks();
        builder.AddEmailChannel();
        services.AddHostedService<StorageInitializer>();
        return builder;
    }

    /// <summary>Every route: health here, then each channel's and each feature's own (<c>Map&lt;Name&gt;</c>) under <c>/api</c>, and the support pages.</summary>
    public static IEndpointRouteBuilder MapIntake(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").AddEndpointFilter<StorageOutageFilter>();
        api.MapGet("/health", HealthEndpoint.Get);
        api.MapGroup("/health").AddEndpointFilter<ApiKeyFilter>().MapGet("/details", HealthEndpoint.DetailsAsync);
        api.MapWebForm();
        api.MapEmail();
        api.MapTelegram();
        api.MapX();
        api.MapMeta();
        api.MapAgents();
        api.MapSurveys();
        api.MapSla();
        api.MapHelpCenter(endpoints);
        endpoints.MapSupportPages();
        // The desk reads storage on every page: an outage is a 503, as under /api, not a 500.
        endpoints.MapGroup(string.Empty).AddEndpointFilter<StorageOutageFilter>().MapDesk();
        return endpoints;
    }
}
