using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Tests.Storage;

/// <summary>
/// <c>AzureWebJobsStorage</c> in both of the shapes Azure Functions accepts, made into clients the way the Functions host
/// does (<c>AddAzureClients</c>, registered before <c>AddIntake</c>).
/// </summary>
public class StorageAccountTests
{
    private static ServiceProvider FunctionsStyleServices(Dictionary<string, string?> settings, out StorageAccount account)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        var storage = StorageAccount.From(builder.Configuration);
        builder.Services.AddAzureClients(clients =>
        {
            clients.AddTableServiceClient(storage.Tables);
            clients.AddQueueServiceClient(storage.Queues);
            clients.AddBlobServiceClient(storage.Blobs);
        });
        builder.AddIntake();
        account = storage;
        return (ServiceProvider)builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void A_connection_string_makes_every_client()
    {
        using var services = FunctionsStyleServices(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }, out _);

        Assert.Equal("devstoreaccount1", services.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal("devstoreaccount1", services.GetRequiredService<QueueServiceClient>().AccountName);
        Assert.Equal("devstoreaccount1", services.GetRequiredService<BlobServiceClient>().AccountName);
    }

    [Fact]
    public void An_account_name_makes_identity_based_clients_on_its_endpoints()
    {
        using var services = FunctionsStyleServices(new() { ["AzureWebJobsStorage:accountName"] = "stintake" }, out _);

        Assert.Equal(new Uri("https://stintake.table.core.windows.net/"), services.GetRequiredService<TableServiceClient>().Uri);
        Assert.Equal(new Uri("https://stintake.queue.core.windows.net/"), services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal(new Uri("https://stintake.blob.core.windows.net/"), services.GetRequiredService<BlobServiceClient>().Uri);
    }

    [Fact]
    public void Service_uris_win_over_the_account_name_and_the_credential_is_passed_on()
    {
        var account = StorageAccount.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:accountName"] = "stintake",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://tables.example/",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        }).Build());

        Assert.Equal("https://tables.example/", account.Tables["endpoint"]);
        Assert.Equal("https://stintake.queue.core.windows.net", account.Queues["serviceUri"]);
        Assert.Equal("managedidentity", account.Blobs["credential"]);
        Assert.Equal("00000000-0000-0000-0000-000000000001", account.Tables["clientId"]);
    }

    [Fact]
    public void Nothing_configured_says_which_settings_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageAccount.From(new ConfigurationBuilder().Build()));

        Assert.Contains("AzureWebJobsStorage__accountName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ticket_queue_registered_before_AddIntake_is_the_one_intake_uses()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var queue = new RecordingTicketQueue();
        builder.Services.AddSingleton<ITicketQueue>(queue);
        builder.AddIntake();
        using var services = builder.Services.BuildServiceProvider();

        Assert.Same(queue, services.GetRequiredService<ITicketQueue>());
    }

    private sealed class RecordingTicketQueue : ITicketQueue
    {
        public Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
