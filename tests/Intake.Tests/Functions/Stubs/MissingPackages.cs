// The surface of the packages our feed lacks, as far as functions/Intake.Functions uses it, declared as the packages
// declare it (Microsoft.Azure.Functions.Worker 2.52, its Http.AspNetCore, ServiceBus and Timer extensions, and
// Azure.Messaging.ServiceBus 7.20; PLATFORM.md). Not compiled into the tests: FunctionsCompileTests compiles it with
// the Functions sources, so that every call they make into functions/Intake is type-checked against the real library.
#nullable enable
using Azure.Core.Extensions;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Azure.Functions.Worker
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class FunctionAttribute(string name) : Attribute
    {
        public string Name { get; } = name;
    }

    public enum AuthorizationLevel
    {
        Anonymous,
        User,
        Function,
        System,
        Admin,
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class HttpTriggerAttribute : Attribute
    {
        public HttpTriggerAttribute(params string[] methods) => Methods = methods;

        public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods) => (AuthLevel, Methods) = (authLevel, methods);

        public AuthorizationLevel AuthLevel { get; }

        public string[] Methods { get; }

        public string? Route { get; set; }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class ServiceBusTriggerAttribute(string queueName) : Attribute
    {
        public string QueueName { get; } = queueName;

        public string? Connection { get; set; }

        public bool IsBatched { get; set; }

        public bool AutoCompleteMessages { get; set; } = true;
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class TimerTriggerAttribute(string schedule) : Attribute
    {
        public string Schedule { get; } = schedule;

        public bool RunOnStartup { get; set; }

        public bool UseMonitor { get; set; } = true;
    }

    public class TimerInfo
    {
        public bool IsPastDue { get; set; }
    }
}

namespace Microsoft.Azure.Functions.Worker.Builder
{
    public static class FunctionsApplication
    {
        public static FunctionsApplicationBuilder CreateBuilder(string[] args) => throw new NotSupportedException();
    }

    public abstract class FunctionsApplicationBuilder : IHostApplicationBuilder
    {
        public abstract IDictionary<object, object> Properties { get; }

        public abstract IConfigurationManager Configuration { get; }

        public abstract IHostEnvironment Environment { get; }

        public abstract ILoggingBuilder Logging { get; }

        public abstract IMetricsBuilder Metrics { get; }

        public abstract IServiceCollection Services { get; }

        public abstract void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
            where TContainerBuilder : notnull;

        public abstract IHost Build();
    }

    public static class FunctionsApplicationBuilderAspNetCoreExtensions
    {
        public static FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this FunctionsApplicationBuilder builder) => builder;
    }
}

namespace Azure.Messaging.ServiceBus
{
    public class ServiceBusClientOptions;

    public class ServiceBusSenderOptions;

    public class ServiceBusClient : IAsyncDisposable
    {
        public virtual ServiceBusSender CreateSender(string queueOrTopicName) => throw new NotSupportedException();

        public virtual ServiceBusSender CreateSender(string queueOrTopicName, ServiceBusSenderOptions options) => throw new NotSupportedException();

        public virtual ValueTask DisposeAsync() => default;
    }

    public class ServiceBusSender : IAsyncDisposable
    {
        public virtual Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public virtual ValueTask DisposeAsync() => default;
    }

    public class ServiceBusMessage
    {
        public ServiceBusMessage(BinaryData body) => Body = body;

        public BinaryData Body { get; set; }

        public string MessageId { get; set; } = "";

        public string? Subject { get; set; }

        public string? ContentType { get; set; }

        public IDictionary<string, object> ApplicationProperties { get; } = new Dictionary<string, object>();
    }

    public class ServiceBusReceivedMessage
    {
        public BinaryData Body { get; } = BinaryData.Empty;

        public string MessageId { get; } = "";

        public int DeliveryCount { get; }

        public IReadOnlyDictionary<string, object> ApplicationProperties { get; } = new Dictionary<string, object>();
    }
}

namespace Microsoft.Extensions.Azure
{
    public static class ServiceBusClientBuilderExtensions
    {
        public static IAzureClientBuilder<ServiceBusClient, ServiceBusClientOptions> AddServiceBusClient<TBuilder>(this TBuilder builder, string connectionString)
            where TBuilder : IAzureClientFactoryBuilder => throw new NotSupportedException();

        public static IAzureClientBuilder<ServiceBusClient, ServiceBusClientOptions> AddServiceBusClient<TBuilder, TConfiguration>(this TBuilder builder, TConfiguration configuration)
            where TBuilder : IAzureClientFactoryBuilderWithConfiguration<TConfiguration> => throw new NotSupportedException();
    }
}
