using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Azure.Storage.Queues;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Storage;
using Intake.Telemetry;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Intake.Functions;

/// <summary>The Functions app's services, apart from <c>Main</c> so that a test composes exactly what Azure runs.</summary>
public static class FunctionsComposition
{
    /// <summary>The setting Azure sets to send telemetry with the app's identity: <c>Authorization=AAD</c>, optionally <c>;ClientId=...</c>.</summary>
    public const string TelemetryAuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The Application Insights resource Azure names for the app (the Bicep sets it).</summary>
    public const string AzureMonitorConnectionSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static FunctionsApplicationBuilder AddIntakeFunctions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<StorageOutageMiddleware>();
        builder.AddTelemetry();

        // Registered before AddIntake, whose TryAdd registrations then keep them: connection strings locally, the app's
        // managed identity in Azure (ServiceBusConnection__fullyQualifiedNamespace, AzureWebJobsStorage__accountName).
        var storage = StorageAccount.From(builder.Configuration);
        builder.Services.AddAzureClients(clients =>
        {
            clients.AddServiceBusClient(builder.Configuration.GetSection(ServiceBusMapping.ConnectionSetting));
            clients.AddTableServiceClient(storage.Tables);
            clients.AddQueueServiceClient(storage.Queues).ConfigureOptions(options => options.MessageEncoding = QueueMessageEncoding.Base64);
            clients.AddBlobServiceClient(storage.Blobs);
        });
        builder.Services.AddSingleton<ServiceBusTicketQueue>();
        builder.Services.AddSingleton<ITicketQueue>(sp => sp.GetRequiredService<ServiceBusTicketQueue>());
        builder.Services.AddOptions<DeliveryRetryOptions>().BindConfiguration(DeliveryRetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ServiceBusTicketDeliveries>();
        builder.AddIntake();
        builder.Services.AddServiceBusDeadLetterHealthCheck();
        return builder;
    }

    /// <summary>
    /// The worker's own Application Insights (its logs and exceptions would otherwise reach Azure only through the host),
    /// sending with the app's identity when Azure asks for it, with credentials masked in URLs (<see cref="TelemetryRedaction"/>). The Azure SDK logs every storage and Service Bus call at
    /// Information: only its warnings are kept.
    /// </summary>
    private static void AddTelemetry(this FunctionsApplicationBuilder builder)
    {
        builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        builder.Services.AddSingleton<ITelemetryInitializer, TelemetryRedaction>();
        if (ManagedIdentity(builder.Configuration[TelemetryAuthenticationSetting]) is { } identity)
        {
            builder.Services.Configure<TelemetryConfiguration>(telemetry => telemetry.SetAzureTokenCredential(identity));
        }

        // The Application Insights provider adds a rule that keeps only its warnings; the host.json levels and ours decide instead.
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var rule = options.Rules.FirstOrDefault(r => r.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (rule is not null)
            {
                options.Rules.Remove(rule);
            }
        });
        builder.Logging.AddFilter("Azure", LogLevel.Warning);
        builder.AddIntakeTraces();
    }

    /// <summary>
    /// Intake's own traces and metrics (<see cref="IntakeTelemetry"/>: one trace per message from the webhook's invocation
    /// to the acknowledgement's send, the counters of acknowledgements sent, failed, retried, withheld and poisoned, queue
    /// lag, SLA events) through OpenTelemetry, with the worker's invocation spans as their parents: to Azure Monitor when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (with the app's identity when Azure asks for it), over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is. Logs stay with the Application Insights SDK above, so nothing is sent twice;
    /// neither outgoing HTTP (a Telegram path holds the bot token) nor requests' URLs are traced here.
    /// </summary>
    private static void AddIntakeTraces(this FunctionsApplicationBuilder builder)
    {
        var azureMonitor = builder.Configuration[AzureMonitorConnectionSetting];
        var otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(azureMonitor) && string.IsNullOrWhiteSpace(otlp))
        {
            return;
        }

        var identity = ManagedIdentity(builder.Configuration[TelemetryAuthenticationSetting]);
        void AzureMonitor(AzureMonitorExporterOptions options)
        {
            options.ConnectionString = azureMonitor;
            options.Credential = identity;

            // Every trace: a message whose acknowledgement went missing is the one an operator must be able to follow, and
            // a support desk's volume is small (the exporter otherwise keeps about five traces a second).
            options.TracesPerSecond = null;
            options.SamplingRatio = 1.0F;
        }

        builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing =>
            {
                tracing.AddSource(IntakeTelemetry.Name);
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    tracing.AddAzureMonitorTraceExporter(AzureMonitor);
                }

                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(IntakeTelemetry.Name);
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    metrics.AddAzureMonitorMetricExporter(AzureMonitor);
                }

                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    metrics.AddOtlpExporter();
                }
            });
    }

    /// <summary>The credential <c>Authorization=AAD[;ClientId=...]</c> asks for; null for anything else (a connection string's key, or nothing).</summary>
    public static ManagedIdentityCredential? ManagedIdentity(string? authentication)
    {
        var parts = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
