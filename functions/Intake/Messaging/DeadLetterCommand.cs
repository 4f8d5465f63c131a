using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Messaging;

/// <summary>
/// <c>dead-letters count</c> and <c>dead-letters replay [--queue tickets-urgent] [--max 100]</c>, for the Azure deployment:
/// counts the ticket queues' dead letters, or moves them back onto their queues once the cause is fixed. Reads
/// <c>ServiceBusConnection</c> from the server's configuration (environment, user secrets, <c>--ServiceBusConnection=...</c>):
/// a connection string, or <c>ServiceBusConnection:fullyQualifiedNamespace</c> with the signed-in Azure identity
/// (<c>az login</c>; it needs Azure Service Bus Data Owner, or Data Receiver and Data Sender, on the namespace).
/// </summary>
public static class DeadLetterCommand
{
    private const string Usage =
        "usage: dead-letters count | dead-letters replay [--queue <tickets-urgent|tickets-high|tickets-normal|tickets-low>] [--max <n>] " +
        "[--ServiceBusConnection=<connection string> | --ServiceBusConnection:fullyQualifiedNamespace=<namespace>.servicebus.windows.net]";

    /// <returns>0 on success (count: no dead letters), 3 when count found some, 1 when Service Bus failed, 2 for a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not [("count" or "replay") and var verb, .. var rest] || !QueueCommandArguments.TryParse(rest, out var queues, out var max, out var configurationArgs))
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs }).Configuration;
        if (ClientFrom(configuration) is not { } client)
        {
            await error.WriteLineAsync($"{ServiceBusMapping.ConnectionSetting} is not configured. {Usage}").ConfigureAwait(false);
            return 2;
        }

        await using (client.ConfigureAwait(false))
        {
            var deadLetters = new ServiceBusDeadLetters(client, NullLogger<ServiceBusDeadLetters>.Instance);
            try
            {
                if (verb == "count")
                {
                    var counts = await deadLetters.CountAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var count in counts)
                    {
                        await output.WriteLineAsync($"{count.Queue}: {count.Count}{(count.AtLeast ? " or more" : "")}").ConfigureAwait(false);
                    }

                    return counts.Any(c => c.Count > 0) ? 3 : 0;
                }

                foreach (var queue in queues)
                {
                    var replayed = await deadLetters.ReplayAsync(queue, max, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"{queue}: {replayed} replayed").ConfigureAwait(false);
                }

                return 0;
            }
            catch (Exception ex) when (ex is ServiceBusException or UnauthorizedAccessException or AuthenticationFailedException or CredentialUnavailableException)
            {
                await error.WriteLineAsync($"Service Bus: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        }
    }

    /// <summary>The client <c>ServiceBusConnection</c> names, in the two shapes the Functions host accepts; null when unset.</summary>
    public static ServiceBusClient? ClientFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ServiceBusMapping.ConnectionSetting);
        return section.Value is { Length: > 0 } connectionString ? new ServiceBusClient(connectionString)
            : section["fullyQualifiedNamespace"] is { Length: > 0 } fullyQualifiedNamespace ? new ServiceBusClient(fullyQualifiedNamespace, new DefaultAzureCredential())
            : null;
    }
}
