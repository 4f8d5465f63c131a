using Azure.Identity;
using Azure.Storage.Queues;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Storage;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Functions;

/// <summary>The Functions app's services, apart from <c>Main</c> so that a test composes exactly what Azure runs.</summary>
public static class FunctionsComposition
{
    /// <summary>The setting Azure sets to send telemetry with the app's identity: <c>Authorization=AAD</c>, optionally <c>;ClientId=...</c>.</summary>
    public const string TelemetryAuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

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
