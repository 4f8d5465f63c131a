using System.Net;
using System.Text.RegularExpressions;
using Azure;
using Intake.Messaging;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Messaging;

/// <summary>The queue outbox and its sweeper through the real host over Azurite, with a real queue that can be switched off.</summary>
public sealed partial class QueueOutboxTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>The host's Storage queue, refusing every message while <see cref="Down"/> is on, as an unreachable queue would.</summary>
    private sealed class SwitchableQueue(StorageTicketQueue queue) : ITicketQueue
    {
        public volatile bool Down;

        public Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken) =>
            Down ? throw new RequestFailedException((int)HttpStatusCode.ServiceUnavailable, "The queue is unavailable.") : queue.EnqueueAsync(message, cancellationToken);
    }

    /// <summary>
    /// Stops the next ticket write right after it happened, before anything after it runs, as a process killed there would:
    /// a projection the store calls once the write is done.
    /// </summary>
    private sealed class KillAfterNextWrite : ITicketProjection
    {
        public volatile bool Armed;

        public Task BeforeWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AfterWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
        {
            if (!Armed)
            {
                return Task.CompletedTask;
            }

            Armed = false;
            throw new IOException("killed right after the ticket write");
        }
    }

    private sealed record Setup(IntakeHost Host, HttpClient Client, SwitchableQueue Queue, ShiftedClock Clock, OutboxSweeper Sweeper, OutboxStore Outbox) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }

    private async Task<Setup> StartAsync(Dictionary<string, string>? settings = null)
    {
        var clock = new ShiftedClock();
        var host = await IntakeHost.StartAsync(
            azurite,
            Settings(settings),
            time: clock,
            services: services =>
            {
                services.AddSingleton(sp => new SwitchableQueue(sp.GetRequiredService<StorageTicketQueue>()));
                services.AddSingleton<ITicketQueue>(sp => sp.GetRequiredService<SwitchableQueue>());
                services.AddSingleton<KillAfterNextWrite>();
                services.AddSingleton<ITicketProjection>(sp => sp.GetRequiredService<KillAfterNextWrite>());
            });
        return new Setup(
            host, host.CreateClient(), host.Services.GetRequiredService<SwitchableQueue>(), clock,
            host.Services.GetRequiredService<OutboxSweeper>(), host.Services.GetRequiredService<OutboxStore>());
    }

    private static async Task<string> AcknowledgedTicketAsync(HttpClient client)
    {
        var accepted = await SubmitAsync(client, "How do I change the display name on my profile?");
        await WaitForOutboundAsync(client, accepted.TicketId, "acknowledgement");
        return accepted.TicketId;
    }

    private static Task<IReadOnlyList<OutboxEntry>> OutboxAsync(OutboxStore outbox) => outbox.BeforeAsync(DateTimeOffset.MaxValue, 100, Cancellation);

    [Fact]
    public async Task A_reply_posted_while_the_queue_is_down_answers_202_and_is_sent_once_after_the_sweep()
    {
        await using var setup = await StartAsync();
        var id = await AcknowledgedTicketAsync(setup.Client);

        setup.Queue.Down = true;
        var replied = await ReplyAsync(setup.Client, id, "You can change it under Profile, then Display name.");
        Assert.Equal(HttpStatusCode.Accepted, replied.Status);
        var waiting = Assert.Single(await OutboxAsync(setup.Outbox));
        Assert.Equal((id, TicketEvent.AgentReplied), (waiting.Message?.TicketId, waiting.Message?.Event));

        // Within the grace period the row may be a send in flight: the sweeper leaves it.
        setup.Queue.Down = false;
        Assert.Equal(0, await setup.Sweeper.RunOnceAsync(Cancellation));
        setup.Clock.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await setup.Sweeper.RunOnceAsync(Cancellation));

        var sent = await WaitForOutboundAsync(setup.Client, id, "reply");
        Assert.Equal("sent", sent.Outbound.Single(o => o.GetProperty("kind").GetString() == "reply").GetProperty("status").GetString());
        Assert.Empty(await OutboxAsync(setup.Outbox));
        Assert.Equal(0, await setup.Sweeper.RunOnceAsync(Cancellation));
        Assert.Equal(2, setup.Host.SendGrid.Mails.Count);
        Assert.Single(setup.Host.SendGrid.Mails, m => m.Text?.Contains("Display name", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_resolve_while_the_queue_is_down_gets_its_survey_after_the_sweep()
    {
        await using var setup = await StartAsync();
        var id = await AcknowledgedTicketAsync(setup.Client);

        setup.Queue.Down = true;
        var resolved = await ResolveAsync(setup.Client, id);
        Assert.Equal(HttpStatusCode.OK, resolved.Status);
        Assert.Equal("resolved", resolved.String("status"));
        Assert.DoesNotContain(resolved.Outbound, o => o.GetProperty("kind").GetString() == "survey");

        setup.Queue.Down = false;
        setup.Clock.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await setup.Sweeper.RunOnceAsync(Cancellation));

        await WaitForOutboundAsync(setup.Client, id, "survey");
        Assert.Empty(await OutboxAsync(setup.Outbox));
    }

    [Fact]
    public async Task A_message_the_queue_takes_leaves_no_outbox_row_behind()
    {
        await using var setup = await StartAsync();
        var id = await AcknowledgedTicketAsync(setup.Client);

        Assert.Equal(HttpStatusCode.Accepted, (await ReplyAsync(setup.Client, id, "It is under Profile.")).Status);

        Assert.Empty(await OutboxAsync(setup.Outbox));
        await WaitForOutboundAsync(setup.Client, id, "reply");
    }

    [Fact]
    public async Task A_sweep_finds_nothing_when_no_send_failed()
    {
        await using var setup = await StartAsync();
        var id = await AcknowledgedTicketAsync(setup.Client);
        Assert.Equal(HttpStatusCode.Accepted, (await ReplyAsync(setup.Client, id, "It is under Profile.")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(setup.Client, id)).Status);

        setup.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await setup.Sweeper.RunOnceAsync(Cancellation));
    }

    [Fact]
    public async Task A_sweep_while_the_queue_is_still_down_fails_and_keeps_the_row_for_the_next()
    {
        await using var setup = await StartAsync();
        var id = await AcknowledgedTicketAsync(setup.Client);
        setup.Queue.Down = true;
        Assert.Equal(HttpStatusCode.Accepted, (await ReplyAsync(setup.Client, id, "It is under Profile.")).Status);
        setup.Clock.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<RequestFailedException>(() => setup.Sweeper.RunOnceAsync(Cancellation));

        Assert.Single(await OutboxAsync(setup.Outbox));
        setup.Queue.Down = false;
        Assert.Equal(1, await setup.Sweeper.RunOnceAsync(Cancellation));
        await WaitForOutboundAsync(setup.Client, id, "reply");
    }

    [GeneratedRegex(@"https://support\.example(/api/surveys\?token=\S+)")]
    private static partial Regex SurveyLink();

    [Fact]
    public async Task A_low_score_while_the_queue_is_down_reaches_the_escalation_channel_after_the_sweep()
    {
        const string Leads = "leads@exchange.example";
        await using var setup = await StartAsync(new() { ["Intake:PublicBaseUrl"] = "https://support.example", ["Sla:Escalation:Email"] = Leads });
        var id = await AcknowledgedTicketAsync(setup.Client);
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(setup.Client, id)).Status);
        await WaitForOutboundAsync(setup.Client, id, "survey");
        var path = SurveyLink().Match(setup.Host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == id).Text!).Groups[1].Value;

        setup.Queue.Down = true;
        using var response = await setup.Client.PostAsync(
            new Uri(path, UriKind.Relative), new FormUrlEncodedContent([new("score", "1"), new("comment", "")]), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TicketEvent.SurveyFollowUp, Assert.Single(await OutboxAsync(setup.Outbox)).Message?.Event);

        setup.Queue.Down = false;
        setup.Clock.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await setup.Sweeper.RunOnceAsync(Cancellation));
        await IntakeHost.WaitForAsync(() => Task.FromResult(setup.Host.SendGrid.Mails.FirstOrDefault(m => m.ToEmail == Leads)), "the low-score notice to the leads");
    }

    /// <summary>The request the kill stopped: the test server passes the exception on, a real one would drop the connection.</summary>
    private static async Task DiesAsync(Func<Task<HttpStatusCode>> request)
    {
        try
        {
            var status = await request();
            Assert.True((int)status >= 500, $"the killed request answered {status}");
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            // The exception itself, or the developer error page of the 500 where JSON was expected.
        }
    }

    private static void KillAfterNextWriteOf(Setup setup) => setup.Host.Services.GetRequiredService<KillAfterNextWrite>().Armed = true;

    [Fact]
    public async Task A_reply_whose_process_dies_right_after_its_write_is_sent_once_after_the_sweep()
    {
        await using var setup = await StartAsync();
        var id = await AcknowledgedTicketAsync(setup.Client);

        KillAfterNextWriteOf(setup);
        await DiesAsync(async () => (await ReplyAsync(setup.Client, id, "You can change it under Profile, then Display name.")).Status);
        Assert.Equal(TicketEvent.AgentReplied, Assert.Single(await OutboxAsync(setup.Outbox)).Message?.Event);

        setup.Clock.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await setup.Sweeper.RunOnceAsync(Cancellation));

        await WaitForOutboundAsync(setup.Client, id, "reply");
        Assert.Single(setup.Host.SendGrid.Mails, m => m.Text?.Contains("Display name", StringComparison.Ordinal) == true);
        Assert.Empty(await OutboxAsync(setup.Outbox));
    }

    [Fact]
    public async Task A_resolve_whose_process_dies_right_after_its_write_gets_its_survey_after_the_sweep()
    {
        await using var setup = await StartAsync();
        var id = await AcknowledgedTicketAsync(setup.Client);

        KillAfterNextWriteOf(setup);
        await DiesAsync(async () => (await ResolveAsync(setup.Client, id)).Status);
        Assert.Equal("resolved", (await GetAsync(setup.Client, id)).String("status"));

        setup.Clock.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await setup.Sweeper.RunOnceAsync(Cancellation));
        await WaitForOutboundAsync(setup.Client, id, "survey");
    }

    [Fact]
    public async Task A_refused_or_stale_change_leaves_no_outbox_row_and_queues_nothing()
    {
        await using var setup = await StartAsync();
        var id = await AcknowledgedTicketAsync(setup.Client);

        // A reply sent with a stale ETag changes nothing: its planned message is not queued and its row goes.
        Assert.Equal(HttpStatusCode.Conflict, (await ReplyAsync(setup.Client, id, "Anything else?", ifMatch: "\"stale\"")).Status);
        Assert.Empty(await OutboxAsync(setup.Outbox));

        // Resolving a resolved ticket is refused: nothing is planned, nothing queued.
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(setup.Client, id)).Status);
        await WaitForOutboundAsync(setup.Client, id, "survey");
        Assert.Equal(HttpStatusCode.Conflict, (await ResolveAsync(setup.Client, id)).Status);
        Assert.Empty(await OutboxAsync(setup.Outbox));
        Assert.Equal(0, await setup.Sweeper.RunOnceAsync(Cancellation));
    }

    [Fact]
    public async Task A_low_score_whose_process_dies_right_after_the_flag_still_reaches_the_escalation_channel()
    {
        const string Leads = "leads@exchange.example";
        await using var setup = await StartAsync(new() { ["Intake:PublicBaseUrl"] = "https://support.example", ["Sla:Escalation:Email"] = Leads });
        var id = await AcknowledgedTicketAsync(setup.Client);
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(setup.Client, id)).Status);
        await WaitForOutboundAsync(setup.Client, id, "survey");
        var path = SurveyLink().Match(setup.Host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == id).Text!).Groups[1].Value;

        KillAfterNextWriteOf(setup);
        await DiesAsync(async () =>
        {
            using var response = await setup.Client.PostAsync(
                new Uri(path, UriKind.Relative), new FormUrlEncodedContent([new("score", "2"), new("comment", "")]), Cancellation);
            return response.StatusCode;
        });

        // The customer, told nothing, answers again: the answer is recorded, so the repeat causes nothing of its own.
        using var again = await setup.Client.PostAsync(
            new Uri(path, UriKind.Relative), new FormUrlEncodedContent([new("score", "2"), new("comment", "")]), Cancellation);
        Assert.Equal(TicketEvent.SurveyFollowUp, Assert.Single(await OutboxAsync(setup.Outbox)).Message?.Event);

        setup.Clock.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await setup.Sweeper.RunOnceAsync(Cancellation));
        await IntakeHost.WaitForAsync(() => Task.FromResult(setup.Host.SendGrid.Mails.FirstOrDefault(m => m.ToEmail == Leads)), "the low-score notice to the leads");
        Assert.Contains("survey_follow_up", (await GetAsync(setup.Client, id)).Json.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }
}
