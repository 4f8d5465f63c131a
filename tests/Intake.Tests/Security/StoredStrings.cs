using Azure.Data.Tables;
using Azure.Storage.Queues;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Security;

/// <summary>
/// Everything a host wrote as text: every string property (keys included) of every entity of its tables, and every
/// message waiting in its queues, each with where it was found. Our own outbound messages (acknowledgements, surveys:
/// templates around a reference) are left out, so that a template word does not pass for a customer's.
/// </summary>
internal static class StoredStrings
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static async Task<List<(string Where, string Value)>> ReadAsync(IntakeHost host)
    {
        var found = new List<(string, string)>();
        var tables = new TableServiceClient(host.ConnectionString);
        await foreach (var table in tables.QueryAsync($"TableName ge '{host.Prefix}' and TableName lt '{host.Prefix}~'", cancellationToken: Cancellation))
        {
            var client = tables.GetTableClient(table.Name);
            await foreach (var entity in client.QueryAsync<TableEntity>(cancellationToken: Cancellation))
            {
                if (entity.GetString("Direction") == "outbound")
                {
                    continue;
                }

                var where = $"{table.Name}/{entity.PartitionKey}/{entity.RowKey}";
                found.Add((where + "/PartitionKey", entity.PartitionKey));
                found.Add((where + "/RowKey", entity.RowKey));
                foreach (var (key, value) in entity)
                {
                    if (value is string text)
                    {
                        found.Add(($"{where}/{key}", text));
                    }
                }
            }
        }

        var queues = new QueueServiceClient(host.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: host.Prefix, cancellationToken: Cancellation))
        {
            var messages = await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32, Cancellation);
            foreach (var message in messages.Value)
            {
                found.Add(($"queue {queue.Name}", message.Body.ToString()));
            }
        }

        return found;
    }

    public static async Task<Ticket> TicketAsync(IntakeHost host, string id) =>
        (await host.Services.GetRequiredService<TicketStore>().GetAsync(id, Cancellation))?.Ticket ?? throw new InvalidOperationException($"No ticket {id}.");

    /// <summary>Fails, naming the place and never the word, when a word of the phrase is anywhere the host stored text.</summary>
    public static async Task AssertNoWordStoredAsync(IntakeHost host, IEnumerable<string> words)
    {
        var phrase = words.ToArray();
        var stored = await ReadAsync(host);
        Assert.NotEmpty(stored);
        foreach (var (where, value) in stored)
        {
            GeneratedPhrases.AssertNoneSurvives(phrase, value, where);
        }
    }
}
