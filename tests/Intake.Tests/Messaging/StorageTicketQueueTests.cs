using Azure.Storage.Queues;
using Intake.Messaging;
using Intake.Tests.Integration;
using Intake.Triage;

namespace Intake.Tests.Messaging;

/// <summary>The Storage-queue ticket queues against real Azurite.</summary>
public class StorageTicketQueueTests(AzuriteFixture azurite)
{
    private readonly string _prefix = TestStorage.NewPrefix();

    private static TicketQueueMessage Message(Urgency urgency) =>
        new($"web:{Guid.NewGuid():N}", Guid.NewGuid().ToString("N"), "T-ABC234", urgency, "web", TicketEvent.Created);

    private async Task<StorageTicketQueue> QueuesAsync()
    {
        var queues = new StorageTicketQueue(
            new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), _prefix);
        await queues.CreateQueuesAsync(TestContext.Current.CancellationToken);
        return queues;
    }

    [Fact]
    public void Queue_names_follow_the_design()
    {
        Assert.Equal(["tickets-urgent", "tickets-high", "tickets-normal", "tickets-low"], TicketQueues.ByPriority.Select(TicketQueues.NameFor));
        Assert.Equal("tickets-low-poison", TicketQueues.PoisonNameFor(Urgency.Low));
    }

    [Fact]
    public void A_message_round_trips_as_small_json_without_customer_text()
    {
        var message = Message(Urgency.High);

        var json = message.ToJson();

        Assert.True(TicketQueueMessage.TryParse(json, out var parsed));
        Assert.Equal(message, parsed);
        Assert.Contains("\"urgency\":\"high\"", json, StringComparison.Ordinal);
        Assert.Contains("\"event\":\"created\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("{\"messageId\":\"a\",\"ticketId\":\"\"}")]
    public void Unreadable_messages_are_recognised(string body)
    {
        Assert.False(TicketQueueMessage.TryParse(body, out _));
    }

    [Fact]
    public async Task A_message_goes_to_the_queue_of_its_urgency_and_is_completed()
    {
        var queues = await QueuesAsync();
        var message = Message(Urgency.Urgent);

        await queues.EnqueueAsync(message, TestContext.Current.CancellationToken);
        var received = await ReceiveUntilAsync(queues, Urgency.Urgent, message.MessageId);

        Assert.Equal(message, received.Message);
        Assert.Equal(1, received.DequeueCount);
        await queues.CompleteAsync(received, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_poisoned_message_moves_to_the_poison_queue()
    {
        var queues = await QueuesAsync();
        var message = Message(Urgency.Low);
        await queues.EnqueueAsync(message, TestContext.Current.CancellationToken);
        var received = await ReceiveUntilAsync(queues, Urgency.Low, message.MessageId);

        await queues.MoveToPoisonAsync(received, TestContext.Current.CancellationToken);

        var poison = new QueueClient(azurite.ConnectionString, _prefix + "-" + TicketQueues.PoisonNameFor(Urgency.Low), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var found = false;
        for (var round = 0; round < 20 && !found; round++)
        {
            var batch = await poison.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            found = batch.Value.Any(m => m.Body.ToString().Contains(message.MessageId, StringComparison.Ordinal));
        }

        Assert.True(found, "the message is not in the poison queue");
    }

    /// <summary>Receive until the message shows up (a queue may answer empty just after a send).</summary>
    private static async Task<ReceivedTicketMessage> ReceiveUntilAsync(StorageTicketQueue queues, Urgency urgency, string messageId)
    {
        for (var round = 0; round < 50; round++)
        {
            var batch = await queues.ReceiveAsync(urgency, 32, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            var mine = batch.FirstOrDefault(m => m.Message?.MessageId == messageId);
            if (mine is not null)
            {
                return mine;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"Message {messageId} never arrived.");
    }
}
