using System.Text.Json;
using Intake.Functions;
using Intake.Messaging;
using Intake.Tests.Integration;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Tests.Functions;

/// <summary>
/// The Functions app composed as <c>Program.Main</c> composes it (<see cref="FunctionsComposition.AddIntakeFunctions"/> on a
/// real <c>FunctionsApplicationBuilder</c>), with the example settings, storage on the test Azurite and a Service Bus
/// connection of the emulator's shape: every function class the build declares must be created from its services, so a
/// missing registration fails here and not at the first request in Azure. Nothing connects: the worker's gRPC channel to
/// the host opens only when the host is started.
/// </summary>
public class FunctionsCompositionTests(AzuriteFixture azurite)
{
    private const string EmulatorConnection =
        "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";

    private IHost Build(Action<FunctionsApplicationBuilder>? afterwards = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        using var example = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsSource.RepositoryRoot, "local.settings.example.json")));
        var settings = example.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => p.Value.GetString(), StringComparer.Ordinal);
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        settings["Storage:Prefix"] = TestStorage.NewPrefix();
        settings[ServiceBusMapping.ConnectionSetting] = EmulatorConnection;

        // What an operator must replace: the example's placeholders are refused at start.
        settings["Intake:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(36));
        settings["Surveys:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(36));
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIntakeFunctions();
        afterwards?.Invoke(builder);
        return builder.Build();
    }

    private static IEnumerable<Type> FunctionClasses =>
        FunctionsMetadata.Functions.Select(f => typeof(QueueFunctions).Assembly.GetType(f.TypeName, throwOnError: true)!).Distinct();

    [Fact]
    public void Every_function_class_the_build_declares_is_created_from_the_apps_services()
    {
        using var host = Build();
        using var scope = host.Services.CreateScope();

        Assert.NotEmpty(FunctionClasses);
        foreach (var type in FunctionClasses)
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }
    }

    [Fact]
    public void A_missing_registration_fails_the_composition()
    {
        using var host = Build(builder => builder.Services.RemoveAll<ServiceBusTicketDeliveries>());
        using var scope = host.Services.CreateScope();

        Assert.Throws<InvalidOperationException>(() => ActivatorUtilities.CreateInstance<QueueFunctions>(scope.ServiceProvider));
    }

    [Fact]
    public void Every_options_class_validates_at_start_with_the_example_settings()
    {
        using var host = Build();

        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Tickets_go_to_service_bus_and_the_health_report_counts_dead_letters()
    {
        using var host = Build();

        Assert.IsType<ServiceBusTicketQueue>(host.Services.GetRequiredService<ITicketQueue>());
        var checks = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).ToList();
        Assert.Contains("dead-letters", checks);
        Assert.Contains("storage", checks);
        Assert.DoesNotContain("queues", checks);
    }

    [Fact]
    public void The_azure_sdk_logs_only_warnings_and_our_information_reaches_application_insights()
    {
        using var host = Build();
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Azure.Core").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Azure.Messaging.ServiceBus").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Azure.Core").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("Intake.Messaging.TicketWorker").IsEnabled(LogLevel.Information));
        var rules = host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules;
        Assert.DoesNotContain(rules, r => r.ProviderName?.EndsWith("ApplicationInsightsLoggerProvider", StringComparison.Ordinal) == true && r.CategoryName is null);
    }

    [Theory]
    [InlineData("Authorization=AAD", true)]
    [InlineData("authorization = aad ; ClientId=00000000-0000-0000-0000-000000000001", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("Authorization=Key", false)]
    public void Telemetry_is_sent_with_the_managed_identity_when_azure_asks_for_it(string? setting, bool identity)
    {
        Assert.Equal(identity, FunctionsComposition.ManagedIdentity(setting) is not null);
    }
}
