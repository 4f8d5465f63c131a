using Azure.Messaging.ServiceBus;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Tests.Messaging;

/// <summary>
/// A message that failed for its whole retry horizon is dead-lettered by Service Bus: the health report counts it, and
/// <c>dead-letters replay</c> puts it back on its queue with a fresh horizon, once and under an id duplicate detection keeps.
/// </summary>
public class ServiceBusDeadLetterTests
{
    private static ServiceBusReceivedMessage DeadLetter(long sequence, string messageId, int attempt = 12, string? original = null) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString($$"""{"messageId":"{{messageId}}","ticketId":"01KAR7M3ZQ5V8X2N4P6RW7K2QX","reference":"T-W7K2QX","urgency":"urgent","channel":"email","event":"created"}"""),
            messageId: messageId,
            subject: "created",
            contentType: "application/json",
            properties: new Dictionary<string, object>
            {
                ["ticketId"] = "01KAR7M3ZQ5V8X2N4P6RW7K2QX",
                [ServiceBusRetry.AttemptProperty] = attempt,
                [ServiceBusRetry.OriginalIdProperty] = original ?? messageId,
                ["DeadLetterReason"] = "MaxDeliveryCountExceeded",
            },
            deliveryCount: 5,
            sequenceNumber: sequence);

    [Fact]
    public async Task Dead_letters_are_counted_per_queue_up_to_a_limit()
    {
        var bus = new FakeServiceBus();
        bus.AddDeadLetter("tickets-urgent", DeadLetter(1, "email:a"));
        bus.AddDeadLetter("tickets-urgent", DeadLetter(2, "email:b"));
        for (var i = 0; i < ServiceBusDeadLetters.CountLimit + 20; i++)
        {
            bus.AddDeadLetter("tickets-low", DeadLetter(100 + i, $"email:{i}"));
        }

        var counts = await new ServiceBusDeadLetters(bus, NullLogger<ServiceBusDeadLetters>.Instance).CountAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [("tickets-urgent", 2, false), ("tickets-high", 0, false), ("tickets-normal", 0, false), ("tickets-low", ServiceBusDeadLetters.CountLimit, true)],
            counts.Select(c => (c.Queue, c.Count, c.AtLeast)));
    }

    [Fact]
    public async Task The_health_report_is_degraded_while_any_queue_holds_a_dead_letter()
    {
        var bus = new FakeServiceBus();
        var check = HealthCheck(bus);

        var clean = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        bus.AddDeadLetter("tickets-high", DeadLetter(7, "telegram:42"));
        var dirty = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, clean.Status);
        Assert.Equal(HealthStatus.Degraded, dirty.Status);
        Assert.Equal(1, dirty.Data["tickets-high/$DeadLetterQueue"]);
        Assert.Contains("dead-letters replay", dirty.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_puts_each_dead_letter_back_on_its_queue_with_a_fresh_horizon_and_removes_it()
    {
        var bus = new FakeServiceBus();
        bus.AddDeadLetter("tickets-urgent", DeadLetter(31, "email:a:retry:12", original: "email:a"));
        bus.AddDeadLetter("tickets-urgent", DeadLetter(32, "email:b"));
        bus.AddDeadLetter("tickets-low", DeadLetter(33, "email:c"));

        var replayed = await new ServiceBusDeadLetters(bus, NullLogger<ServiceBusDeadLetters>.Instance).ReplayAsync("tickets-urgent", 100, TestContext.Current.CancellationToken);

        Assert.Equal(2, replayed);
        Assert.Empty(bus.DeadLettersOf("tickets-urgent"));
        Assert.Single(bus.DeadLettersOf("tickets-low"));
        var sent = bus.SentTo("tickets-urgent");
        Assert.Equal(["email:a:replay:31", "email:b:replay:32"], sent.Select(m => m.MessageId));
        Assert.All(sent, m =>
        {
            Assert.Equal(0, m.ApplicationProperties[ServiceBusRetry.AttemptProperty]);
            Assert.Equal("created", m.Subject);
            Assert.Equal("01KAR7M3ZQ5V8X2N4P6RW7K2QX", m.ApplicationProperties["ticketId"]);
            Assert.True(TicketQueueMessage.TryParse(m.Body.ToString(), out _));
        });
        Assert.Equal("email:a", sent[0].ApplicationProperties[ServiceBusRetry.OriginalIdProperty]);
    }

    [Fact]
    public async Task Replay_stops_at_its_limit_and_a_second_replay_of_the_same_dead_letter_carries_the_same_id()
    {
        var bus = new FakeServiceBus();
        bus.AddDeadLetter("tickets-high", DeadLetter(5, "x:1"));
        bus.AddDeadLetter("tickets-high", DeadLetter(6, "x:2"));
        var deadLetters = new ServiceBusDeadLetters(bus, NullLogger<ServiceBusDeadLetters>.Instance);

        Assert.Equal(1, await deadLetters.ReplayAsync("tickets-high", 1, TestContext.Current.CancellationToken));
        Assert.Single(bus.DeadLettersOf("tickets-high"));

        // The instance died after sending and before completing: the dead letter is read again and sent under the same id.
        bus.AddDeadLetter("tickets-high", DeadLetter(5, "x:1"));
        await deadLetters.ReplayAsync("tickets-high", 10, TestContext.Current.CancellationToken);
        var ids = bus.SentTo("tickets-high").Select(m => m.MessageId).ToList();
        Assert.Equal(2, ids.Count(id => id == "x:1:replay:5"));
    }

    [Theory]
    [InlineData]
    [InlineData("purge")]
    [InlineData("replay", "--queue", "tickets-everything")]
    [InlineData("replay", "--queue=tickets-everything")]
    [InlineData("replay", "--max", "0")]
    [InlineData("replay", "--max=-1")]
    [InlineData("replay", "--max")]
    [InlineData("count", "stray")]
    public async Task The_command_explains_its_usage_for_anything_else(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await DeadLetterCommand.RunAsync(args, output, error, TestContext.Current.CancellationToken));
        Assert.StartsWith("usage: dead-letters", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task The_command_says_so_when_no_service_bus_is_configured()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await DeadLetterCommand.RunAsync(["count"], output, error, TestContext.Current.CancellationToken));
        Assert.Contains("ServiceBusConnection is not configured", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_reads_the_connection_in_either_shape_the_functions_host_accepts()
    {
        await using var keyed = DeadLetterCommand.ClientFrom(Configuration(("ServiceBusConnection", "Endpoint=sb://intake.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=c2VjcmV0")));
        await using var identity = DeadLetterCommand.ClientFrom(Configuration(("ServiceBusConnection:fullyQualifiedNamespace", "intake.servicebus.windows.net")));

        Assert.Equal("intake.servicebus.windows.net", keyed?.FullyQualifiedNamespace);
        Assert.Equal("intake.servicebus.windows.net", identity?.FullyQualifiedNamespace);
        Assert.Null(DeadLetterCommand.ClientFrom(Configuration()));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static IHealthCheck HealthCheck(FakeServiceBus bus)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<ServiceBusClient>(bus);
        services.AddServiceBusDeadLetterHealthCheck();
        var provider = services.BuildServiceProvider();
        var registration = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single(r => r.Name == "dead-letters");
        return registration.Factory(provider);
    }
}
