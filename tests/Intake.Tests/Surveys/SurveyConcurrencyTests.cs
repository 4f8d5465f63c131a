using System.Net;
using System.Text.RegularExpressions;
using Intake.Agents;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Surveys;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Surveys;

/// <summary>At-least-once delivery and customers who press twice: one survey per ticket, one answer per survey.</summary>
public sealed partial class SurveyConcurrencyTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> With(Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>(more ?? []) { ["Intake:PublicBaseUrl"] = "https://support.example" };
        return Settings(settings);
    }

    [GeneratedRegex(@"https://support\.example/api/surveys\?token=(\S+)")]
    private static partial Regex Link();

    private static TicketQueueMessage Resolved(Ticket ticket) =>
        new($"{ticket.Id}:resolved:{ticket.EventCount}", ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel, TicketEvent.Resolved);

    private static bool IsSurveyMail(SendGridRequest mail, string ticketId) =>
        mail.CustomArg("ticketId") == ticketId && mail.MailHeader("Auto-Submitted") == "auto-generated";

    private static async Task<(string TicketId, string Token)> ResolvedWithLinkAsync(IntakeHost host, HttpClient client)
    {
        var submitted = await SubmitAsync(client, "How do I change my withdrawal address?");
        await WaitForOutboundAsync(client, submitted.TicketId, "acknowledgement");
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, submitted.TicketId)).Status);
        await WaitForOutboundAsync(client, submitted.TicketId, "survey");
        var mail = host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == submitted.TicketId);
        return (submitted.TicketId, Link().Match(mail.Text!).Groups[1].Value);
    }

    [Fact]
    public async Task A_resolved_message_handled_again_sends_no_second_survey()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, _) = await ResolvedWithLinkAsync(host, client);
        var stored = await host.Services.GetRequiredService<TicketStore>().GetAsync(ticketId, Cancellation);
        var worker = host.Services.GetRequiredService<TicketWorker>();

        await worker.HandleAsync(Resolved(stored!.Ticket), Cancellation);
        await worker.HandleAsync(Resolved(stored.Ticket), Cancellation);

        Assert.Single(host.SendGrid.Mails, m => IsSurveyMail(m, ticketId));
        Assert.Single((await GetAsync(client, ticketId)).Outbound, o => o.GetProperty("kind").GetString() == "survey");
    }

    [Fact]
    public async Task A_resolved_message_handled_by_several_workers_at_once_sends_one_survey()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var submitted = await SubmitAsync(client, "How do I change my withdrawal address?");
        await WaitForOutboundAsync(client, submitted.TicketId, "acknowledgement");
        var worker = host.Services.GetRequiredService<TicketWorker>();

        // The host's own worker takes the queued copy; four more deliveries of it race with it.
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, submitted.TicketId)).Status);
        var stored = await host.Services.GetRequiredService<TicketStore>().GetAsync(submitted.TicketId, Cancellation);
        var message = Resolved(stored!.Ticket);
        // A delivery that finds the survey held by another attempt fails, for its queue to bring back later (by when the
        // survey is marked); none sends it a second time.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(
            async () =>
            {
                try
                {
                    await worker.HandleAsync(message, Cancellation);
                }
                catch (OutboundInFlightException)
                {
                }
            },
            Cancellation)));
        await WaitForOutboundAsync(client, submitted.TicketId, "survey");
        await Task.Delay(500, Cancellation);

        Assert.Single(host.SendGrid.Mails, m => IsSurveyMail(m, submitted.TicketId));
        Assert.Single((await GetAsync(client, submitted.TicketId)).Outbound, o => o.GetProperty("kind").GetString() == "survey");
        Assert.Equal(OutboundStatus.Sent, (await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(submitted.TicketId, Cancellation))!.Delivery);
    }

    [Fact]
    public async Task Five_concurrent_posts_of_the_form_record_one_answer_and_the_others_get_409()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, token) = await ResolvedWithLinkAsync(host, client);

        var statuses = await Task.WhenAll(Enumerable.Range(1, 5).Select(async score =>
        {
            using var form = new FormUrlEncodedContent([new("score", score.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("comment", "")]);
            using var response = await client.PostAsync(new Uri("/api/surveys?token=" + token, UriKind.Relative), form, Cancellation);
            return (Score: score, response.StatusCode);
        }));

        var recorded = Assert.Single(statuses, s => s.StatusCode == HttpStatusCode.OK);
        Assert.All(statuses.Where(s => s != recorded), s => Assert.Equal(HttpStatusCode.Conflict, s.StatusCode));
        var survey = await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation);
        Assert.Equal(recorded.Score, survey!.Score);
        var followUps = (await host.Services.GetRequiredService<TicketStore>().GetAuditAsync(ticketId, Cancellation)).Count(a => a.Action == "survey_follow_up");
        Assert.Equal(recorded.Score <= 2 ? 1 : 0, followUps);
    }

    [Fact]
    public async Task Two_concurrent_telegram_presses_record_one_answer_and_the_other_is_told_it_is_answered()
    {
        await using var telegram = new FakeTelegram();
        await telegram.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(telegram.Settings(TelegramEndToEndTests.Secret)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.Text(8101, "My withdrawal is stuck")));
        var ticketId = (await IntakeHost.WaitForAsync(
            () => host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("telegram", "8101", Cancellation), "the ticket")).Ticket.Id;
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, ticketId)).Status);
        await WaitForOutboundAsync(client, ticketId, "survey");
        var buttons = telegram.Calls("sendMessage").Single(c => c.Json.TryGetProperty("reply_markup", out _))
            .Json.GetProperty("reply_markup").GetProperty("inline_keyboard")[0].EnumerateArray().Select(b => b.GetProperty("callback_data").GetString()!).ToList();

        var statuses = await Task.WhenAll(
            TelegramEndToEndTests.PostAsync(client, TelegramFixtures.CallbackQuery(8102, buttons[3])),
            TelegramEndToEndTests.PostAsync(client, TelegramFixtures.CallbackQuery(8103, buttons[1])));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var survey = await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation);
        Assert.Contains(survey!.Score, new int?[] { 2, 4 });
        var notes = telegram.Calls("answerCallbackQuery").Select(c => c.Json.GetProperty("text").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["This survey has already been answered. Thank you!", "Your rating has been recorded."], notes);
    }

    [Fact]
    public async Task A_ticket_reopened_between_the_workers_read_and_the_record_gets_no_survey_until_resolved_again()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var store = host.Services.GetRequiredService<TicketStore>();
        var submitted = await SubmitAsync(client, "How do I change my withdrawal address?");
        await WaitForOutboundAsync(client, submitted.TicketId, "acknowledgement");

        // Resolved in the store without queueing, read as the worker reads it, then reopened before the survey is recorded.
        Assert.Equal(ChangeStatus.Changed, (await store.ChangeAsync(submitted.TicketId, null, (t, now) => AgentDecisions.Resolve(t, "Mei", now).Change, Cancellation)).Status);
        var read = (await store.GetAsync(submitted.TicketId, Cancellation))!;
        Assert.Equal(HttpStatusCode.OK, (await ReopenAsync(client, submitted.TicketId)).Status);

        await host.Services.GetRequiredService<SurveyDesk>().SendAsync(read, Cancellation);

        Assert.DoesNotContain(host.SendGrid.Mails, m => IsSurveyMail(m, submitted.TicketId));
        var ticket = await GetAsync(client, submitted.TicketId);
        Assert.Equal("open", ticket.String("status"));
        Assert.DoesNotContain(ticket.Outbound, o => o.GetProperty("kind").GetString() == "survey");
        Assert.Null(await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(submitted.TicketId, Cancellation));

        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, submitted.TicketId)).Status);
        await WaitForOutboundAsync(client, submitted.TicketId, "survey");
        Assert.Single(host.SendGrid.Mails, m => IsSurveyMail(m, submitted.TicketId));
    }
}
