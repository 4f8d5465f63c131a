using Azure;
using Azure.Storage.Queues;
using Intake.Messaging;
using Intake.Storage;

namespace Intake.Server.Messaging;

/// <summary>
/// <c>poison count</c> and <c>poison replay [--queue tickets-urgent] [--max 100]</c>, for the server's Storage queues:
/// counts the messages the worker gave up on (in <c>&lt;queue&gt;-poison</c>, also in the detailed health report), or
/// moves them back onto their queues once the cause is fixed, where they get the whole retry horizon again. Reads
/// <c>AzureWebJobsStorage</c> (a connection string; for the Azurite a Development server started, the one it printed, or
/// <c>UseDevelopmentStorage=true</c> on its default ports) and <c>Storage:Prefix</c> from the server's configuration.
/// </summary>
internal static class PoisonCommand
{
    private const string Usage =
        "usage: poison count | poison replay [--queue <tickets-urgent|tickets-high|tickets-normal|tickets-low>] [--max <n>] " +
        "[--AzureWebJobsStorage=<connection string>] [--Storage:Prefix=<prefix>]";

    /// <returns>0 on success (count: none), 3 when count found some, 1 when storage failed, 2 for a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args is not [("count" or "replay") and var verb, .. var rest] || !QueueCommandArguments.TryParse(rest, out var names, out var max, out var configurationArgs))
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs }).Configuration;
        if (configuration[StorageAccount.ConnectionSetting] is not { Length: > 0 } connection)
        {
            await error.WriteLineAsync($"{StorageAccount.ConnectionSetting} is not configured. {Usage}").ConfigureAwait(false);
            return 2;
        }

        var prefix = configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.Prefix)}"] ?? "";
        var queue = new StorageTicketQueue(new QueueServiceClient(connection, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), prefix);
        var urgencies = TicketQueues.ByPriority.Where(u => names.Contains(TicketQueues.NameFor(u), StringComparer.Ordinal)).ToList();
        try
        {
            if (verb == "count")
            {
                var found = 0;
                foreach (var urgency in urgencies)
                {
                    var depth = await queue.ApproximateDepthAsync(TicketQueues.PoisonNameFor(urgency), cancellationToken).ConfigureAwait(false);
                    found += depth;
                    await output.WriteLineAsync($"{TicketQueues.PoisonNameFor(urgency)}: {depth}").ConfigureAwait(false);
                }

                return found > 0 ? 3 : 0;
            }

            foreach (var urgency in urgencies)
            {
                var moved = await queue.ReplayPoisonAsync(urgency, max, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{TicketQueues.PoisonNameFor(urgency)}: {moved} replayed onto {TicketQueues.NameFor(urgency)}").ConfigureAwait(false);
            }

            return 0;
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException or FormatException or ArgumentException)
        {
            await error.WriteLineAsync($"Storage queues: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
