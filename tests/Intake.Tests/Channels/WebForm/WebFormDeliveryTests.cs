using System.Net;
using System.Net.Http.Json;
using Azure.Storage.Queues;
using Intake.Channels.WebForm;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Channels.WebForm;

/// <summary>Acknowledgements under load, across a restart, and when sending never succeeds.</summary>
public sealed class WebFormDeliveryTests(AzuriteFixture azurite)
{
    private static readonly Uri Submit = new("/api/intake/web", UriKind.Relative);

    private static async Task<WebFormAccepted> PostAsync(HttpClient client, string message, string email)
    {
        using var response = await client.PostAsJsonAsync(Submit, new { message, email }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebFormAccepted>(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task Fifty_concurrent_submissions_get_fifty_acknowledgements_one_each()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string>
        {
            ["WebForm:SubmissionsPerWindow"] = "100",
            ["Worker:Concurrency"] = "8",
        });
        using var client = host.CreateClient();

        var accepted = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => PostAsync(client, $"my deposit number {i} is missing", $"load{i}@example.com")));

        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count >= 50 ? "" : null), "fifty acknowledgements");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var mails = host.SendGrid.Mails;
        Assert.Equal(50, mails.Count);
        Assert.Equal(accepted.Select(a => a.TicketId).Order(), mails.Select(m => m.CustomArg("ticketId")).Order());
    }

    [Fact]
    public async Task A_server_stopped_after_enqueueing_acknowledges_exactly_once_when_it_starts_again()
    {
        var prefix = TestStorage.NewPrefix();
        WebFormAccepted accepted;
        await using (var first = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Storage:Prefix"] = prefix, ["Worker:Enabled"] = "false" }))
        {
            using var client = first.CreateClient();
            accepted = await PostAsync(client, "withdrawal pending for 6 hours", "restart@example.com");
            await Task.Delay(300, TestContext.Current.CancellationToken);
            Assert.Empty(first.SendGrid.Mails);
        }

        await using var second = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Storage:Prefix"] = prefix });

        var mail = await IntakeHost.WaitForAsync(() => Task.FromResult(second.SendGrid.Mails.Count > 0 ? second.SendGrid.Mails[0] : null), "the acknowledgement");
        Assert.Equal(accepted.TicketId, mail.CustomArg("ticketId"));
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Single(second.SendGrid.Mails);
    }

    [Fact]
    public async Task A_message_whose_sending_always_fails_lands_in_the_poison_queue_once_its_retries_span_the_horizon()
    {
        // Waits of 50 ms each reach the 200 ms horizon after the fourth retry: five tries in all.
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string>
        {
            ["Worker:RetryDelay"] = "00:00:00.050",
            ["Worker:MaxRetryDelay"] = "00:00:00.050",
            ["Worker:RetryHorizon"] = "00:00:00.200",
        });
        for (var i = 0; i < 7; i++)
        {
            host.SendGrid.RespondNextWith(500);
        }

        using var client = host.CreateClient();
        var accepted = await PostAsync(client, "my withdrawal has been pending for a day", "fails@example.com");

        var poison = new QueueClient(
            azurite.ConnectionString, $"{host.Prefix}-{TicketQueues.PoisonNameFor(Urgency.High)}", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var body = await IntakeHost.WaitForAsync(
            async () => (await poison.PeekMessagesAsync(1, TestContext.Current.CancellationToken)).Value.FirstOrDefault()?.Body.ToString(),
            "the poison queue");

        Assert.Contains(accepted.TicketId, body, StringComparison.Ordinal);
        Assert.Equal(5, host.SendGrid.Mails.Count);
        var outbound = await host.Services.GetRequiredService<OutboundLog>().ListAsync(accepted.TicketId, TestContext.Current.CancellationToken);
        Assert.Equal(OutboundStatus.Failed, Assert.Single(outbound).Status);
    }

    [Fact]
    public async Task An_outage_longer_than_five_tries_delays_the_acknowledgement_and_never_loses_nor_doubles_it()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string>
        {
            ["Worker:RetryDelay"] = "00:00:00.050",
            ["Worker:MaxRetryDelay"] = "00:00:00.100",
        });
        for (var i = 0; i < 8; i++)
        {
            host.SendGrid.RespondNextWith(503);
        }

        using var client = host.CreateClient();
        var accepted = await PostAsync(client, "my withdrawal has been pending for a day", "outage@example.com");

        var sent = await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(accepted.TicketId, TestContext.Current.CancellationToken))
                .SingleOrDefault(o => o.Status == OutboundStatus.Sent),
            "the acknowledgement sent after the outage");

        Assert.Equal(OutboundKinds.Acknowledgement, sent.Kind);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(9, host.SendGrid.Mails.Count);
        Assert.All(host.SendGrid.Mails, m => Assert.Equal(accepted.TicketId, m.CustomArg("ticketId")));
        var poison = new QueueClient(
            azurite.ConnectionString, $"{host.Prefix}-{TicketQueues.PoisonNameFor(Urgency.High)}", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        Assert.False(await poison.ExistsAsync(TestContext.Current.CancellationToken) && (await poison.PeekMessagesAsync(1, TestContext.Current.CancellationToken)).Value.Length > 0);
    }

    [Fact]
    public async Task Failed_attempts_do_not_use_up_an_address_daily_allowance()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string>
        {
            ["WebForm:SubmissionsPerAddress"] = "10",
            ["Worker:RetryDelay"] = "00:00:00.050",
        });
        for (var i = 0; i < 3; i++)
        {
            host.SendGrid.RespondNextWith(500);
        }

        using var client = host.CreateClient();
        var accepted = new List<WebFormAccepted>();
        for (var i = 0; i < 5; i++)
        {
            accepted.Add(await PostAsync(client, $"question number {i} about fees", "retried@example.com"));
        }

        var statuses = await IntakeHost.WaitForAsync(
            async () =>
            {
                var all = new List<OutboundStatus>();
                foreach (var a in accepted)
                {
                    var outbound = await host.Services.GetRequiredService<OutboundLog>().ListAsync(a.TicketId, TestContext.Current.CancellationToken);
                    if (outbound.Count == 0 || outbound[0].Status is OutboundStatus.Pending or OutboundStatus.Failed)
                    {
                        return null;
                    }

                    all.Add(outbound[0].Status);
                }

                return all;
            },
            "every acknowledgement sent or suppressed");

        Assert.All(statuses, s => Assert.Equal(OutboundStatus.Sent, s));
        Assert.Equal(8, host.SendGrid.Mails.Count);
    }

    [Fact]
    public async Task An_address_gets_at_most_five_automatic_messages_a_day()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["WebForm:SubmissionsPerAddress"] = "10" });
        using var client = host.CreateClient();
        var store = host.Services.GetRequiredService<TicketStore>();

        var accepted = new List<WebFormAccepted>();
        for (var i = 0; i < 7; i++)
        {
            accepted.Add(await PostAsync(client, $"question number {i} about fees", "bomb-target@example.com"));
        }

        var statuses = await IntakeHost.WaitForAsync(
            async () =>
            {
                var all = new List<OutboundStatus>();
                foreach (var a in accepted)
                {
                    var outbound = await host.Services.GetRequiredService<OutboundLog>().ListAsync(a.TicketId, TestContext.Current.CancellationToken);
                    if (outbound.Count == 0 || outbound[0].Status == OutboundStatus.Pending)
                    {
                        return null;
                    }

                    all.Add(outbound[0].Status);
                }

                return all;
            },
            "every acknowledgement sent or suppressed");

        Assert.Equal(5, statuses.Count(s => s == OutboundStatus.Sent));
        Assert.Equal(2, statuses.Count(s => s == OutboundStatus.Suppressed));
        Assert.Equal(5, host.SendGrid.Mails.Count);
    }

    [Fact]
    public async Task A_ticket_a_channel_flagged_as_automatic_mail_gets_no_acknowledgement()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        var intake = host.Services.GetRequiredService<TicketIntake>();
        var queue = host.Services.GetRequiredService<StorageTicketQueue>();

        var flagged = await intake.AcceptAsync(
            new InboundMessage("web", new Contact("web", "ooo@example.com", null, "ooo@example.com"), "I am out of the office until Monday.", JoinOpenTicket: false)
            {
                Flags = [ChannelFlags.AutoSubmitted],
            },
            TestContext.Current.CancellationToken);

        Assert.Contains(ChannelFlags.AutoSubmitted, flagged.Ticket!.Flags);
        await IntakeHost.WaitForAsync(
            async () =>
            {
                var depth = 0;
                foreach (var urgency in TicketQueues.ByPriority)
                {
                    depth += await queue.ApproximateDepthAsync(TicketQueues.NameFor(urgency), TestContext.Current.CancellationToken);
                }

                return depth == 0 ? "" : null;
            },
            "the queue message handled");
        Assert.Empty(host.SendGrid.Mails);
        Assert.Empty(await host.Services.GetRequiredService<OutboundLog>().ListAsync(flagged.Ticket.Id, TestContext.Current.CancellationToken));
    }
}
