using Intake.Agents;
using Intake.Channels;
using Intake.Escalation;
using Intake.Messaging;
using Intake.Sla;
using Intake.Surveys;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Intake.Tests.Messaging;

/// <summary>The worker's table: one handler for every ticket event, each in the feature that owns it.</summary>
public class TicketEventHandlersTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_event_has_its_handler_in_the_feature_that_owns_it()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        var table = host.Services.GetRequiredService<TicketEventHandlers>();

        Assert.IsType<AcknowledgementHandler>(table.For(TicketEvent.Created));
        Assert.IsType<CustomerReplyHandler>(table.For(TicketEvent.CustomerReplied));
        Assert.IsType<AgentReplyHandler>(table.For(TicketEvent.AgentReplied));
        Assert.IsType<EscalationHandler>(table.For(TicketEvent.Escalated));
        Assert.IsType<SurveyHandler>(table.For(TicketEvent.Resolved));
        Assert.IsType<SurveyThanksHandler>(table.For(TicketEvent.SurveyAnswered));
        Assert.IsType<SurveyFollowUpHandler>(table.For(TicketEvent.SurveyFollowUp));
        Assert.All(Enum.GetValues<TicketEvent>(), e => Assert.Equal(e, table.For(e)!.TicketEvent));
    }

    [Fact]
    public void A_table_without_a_handler_for_an_event_is_refused_and_names_the_event()
    {
        ITicketEventHandler[] handlers = [.. Enum.GetValues<TicketEvent>().Where(e => e != TicketEvent.Escalated).Select(e => new Handler(e))];

        var refused = Assert.Throws<InvalidOperationException>(() => new TicketEventHandlers(handlers));

        Assert.Contains(nameof(TicketEvent.Escalated), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_with_two_handlers_for_one_event_is_refused()
    {
        ITicketEventHandler[] handlers = [.. Enum.GetValues<TicketEvent>().Select(e => new Handler(e)), new Handler(TicketEvent.Resolved)];

        var refused = Assert.Throws<InvalidOperationException>(() => new TicketEventHandlers(handlers));

        Assert.Contains(nameof(TicketEvent.Resolved), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_in_which_no_feature_handles_an_event_does_not_start()
    {
        var start = IntakeHost.StartAsync(azurite, services: services =>
            services.RemoveAll<ITicketEventHandler>().AddTicketEventHandler<AcknowledgementHandler>());

        var refused = await Assert.ThrowsAnyAsync<Exception>(async () => await (await start).DisposeAsync());

        Assert.Contains(nameof(TicketEvent.AgentReplied), refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_whose_event_is_no_event_throws_so_that_it_is_retried_and_dead_lettered()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Worker:Enabled"] = "false" });
        var worker = host.Services.GetRequiredService<TicketWorker>();
        var body = """{"messageId":"web:1","ticketId":"01KAR7M3ZQ5V8X2N4P6RW7K2QX","reference":"T-W7K2QX","urgency":"low","channel":"web","event":99}""";

        await Assert.ThrowsAsync<InvalidDataException>(
            () => worker.HandleServiceBusBodyAsync(BinaryData.FromString(body), TestContext.Current.CancellationToken));
    }

    private sealed class Handler(TicketEvent handles) : ITicketEventHandler
    {
        public TicketEvent TicketEvent => handles;

        public Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
