using Azure.Storage.Queues;
using Intake.Messaging;
using Intake.Server.Messaging;
using Intake.Tests.Integration;
using Intake.Triage;

namespace Intake.Tests.Server.Messaging;

/// <summary><c>poison count</c> and <c>poison replay</c> against the Storage queues on Azurite.</summary>
public sealed class PoisonCommandTests(AzuriteFixture azurite)
{
    private readonly string _prefix = TestStorage.NewPrefix();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private string[] Storage => [$"--AzureWebJobsStorage={azurite.ConnectionString}", $"--Storage:Prefix={_prefix}"];

    private QueueClient Queue(string name) =>
        new(azurite.ConnectionString, $"{_prefix}-{name}", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PoisonCommand.RunAsync([.. args, .. Storage], output, error, Cancellation);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Count_finds_what_the_worker_gave_up_and_replay_puts_it_back_on_its_queue_once()
    {
        var queues = new StorageTicketQueue(new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), _prefix);
        await queues.CreateQueuesAsync(Cancellation);
        var message = TicketQueueMessage.Created("01JTESTPOISON0000000000000", "T-POIS0N", Urgency.High, "web", ("web", "key-1"));
        await Queue(TicketQueues.PoisonNameFor(Urgency.High)).SendMessageAsync(message.ToJson(), Cancellation);
        await Queue(TicketQueues.PoisonNameFor(Urgency.Low)).SendMessageAsync("not a ticket message", Cancellation);

        var counted = await RunAsync("count");
        var replayed = await RunAsync("replay", "--queue", "tickets-high");
        var after = await RunAsync("count", "--queue=tickets-high");

        Assert.Equal(3, counted.Code);
        Assert.Contains("tickets-high-poison: 1", counted.Output, StringComparison.Ordinal);
        Assert.Contains("tickets-low-poison: 1", counted.Output, StringComparison.Ordinal);
        Assert.Equal(0, replayed.Code);
        Assert.Contains("tickets-high-poison: 1 replayed onto tickets-high", replayed.Output, StringComparison.Ordinal);
        Assert.Equal((0, "tickets-high-poison: 0"), (after.Code, after.Output.Trim()));
        var back = await queues.ReceiveAsync(Urgency.High, 32, TimeSpan.FromSeconds(5), Cancellation);
        Assert.Equal(message.MessageId, Assert.Single(back).Message?.MessageId);
        Assert.Equal(1, Assert.Single(back).DequeueCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("recount")]
    [InlineData("replay --queue tickets-soon")]
    [InlineData("replay --max 0")]
    [InlineData("count extra")]
    public async Task A_usage_error_is_told_and_touches_nothing(string args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await PoisonCommand.RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries), output, error, Cancellation));
        Assert.StartsWith("usage: poison", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }
}
