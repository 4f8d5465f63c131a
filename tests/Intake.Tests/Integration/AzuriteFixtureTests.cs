using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Intake.Tests.Integration;

public class AzuriteFixtureTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_table_entity_round_trips()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient($"t{Guid.NewGuid():N}");
        await table.CreateAsync(cancellationToken);
        var entity = new TableEntity("tickets", "01J0TEST") { ["Reference"] = "T-7KQ4MX", ["Urgency"] = "urgent", ["Messages"] = 2 };

        await table.AddEntityAsync(entity, cancellationToken);
        var read = (await table.GetEntityAsync<TableEntity>("tickets", "01J0TEST", cancellationToken: cancellationToken)).Value;

        Assert.Equal("T-7KQ4MX", read.GetString("Reference"));
        Assert.Equal("urgent", read.GetString("Urgency"));
        Assert.Equal(2, read.GetInt32("Messages"));
        Assert.NotEqual(default, read.ETag);
    }

    [Fact]
    public async Task A_queue_message_is_sent_and_received()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient($"q-{Guid.NewGuid():N}");
        await queue.CreateAsync(cancellationToken: cancellationToken);

        await queue.SendMessageAsync("""{"ticketId":"01J0TEST","urgency":"urgent"}""", cancellationToken);
        var received = (await queue.ReceiveMessagesAsync(maxMessages: 1, cancellationToken: cancellationToken)).Value;

        var message = Assert.Single(received);
        Assert.Equal("""{"ticketId":"01J0TEST","urgency":"urgent"}""", message.MessageText);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        Assert.Empty((await queue.ReceiveMessagesAsync(maxMessages: 1, cancellationToken: cancellationToken)).Value);
    }
}
