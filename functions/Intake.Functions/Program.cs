using Azure.Storage.Queues;
using Intake.Functions;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

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
builder.Services.AddSingleton<ITicketQueue, ServiceBusTicketQueue>();
builder.AddIntake();

return await builder.Build().RunIntakeAsync();
