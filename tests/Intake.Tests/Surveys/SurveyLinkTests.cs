using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Intake.Surveys;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Surveys;

/// <summary>Email and web-form tickets get a signed link; its page records nothing until the customer posts a score.</summary>
public sealed partial class SurveyLinkTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> With() => Settings(new() { ["Intake:PublicBaseUrl"] = "https://support.example" });

    [GeneratedRegex(@"https://support\.example/api/surveys\?token=(\S+)")]
    private static partial Regex Link();

    [GeneratedRegex(@"https://support\.example/\S*")]
    private static partial Regex AnyLink();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    /// <summary>The form's action on a page, as the browser resolves it against the page's address.</summary>
    private static Uri ActionOf(string page) =>
        new(new Uri("https://support.example/api/surveys"), WebUtility.HtmlDecode(Assert.Single(FormAction().Matches(page)).Groups[1].Value));

    private static string TokenIn(Uri url) => QueryHelpers.ParseQuery(url.Query).TryGetValue("token", out var token) ? token.ToString() : "";

    /// <summary>A web-form ticket with an email address, resolved: the survey's path (with its token) from the mail.</summary>
    private static async Task<(string TicketId, string Path)> ResolvedWithLinkAsync(IntakeHost host, HttpClient client, string email = "customer@example.com")
    {
        var ticket = await SubmitAsync(client, "How do I change my withdrawal address?", email);
        await WaitForOutboundAsync(client, ticket.TicketId, "acknowledgement");
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, ticket.TicketId)).Status);
        await WaitForOutboundAsync(client, ticket.TicketId, "survey");
        var mail = host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == ticket.TicketId);
        var token = Link().Match(mail.Text!).Groups[1].Value;
        Assert.NotEmpty(token);
        return (ticket.TicketId, "/api/surveys?token=" + token);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        using var response = await client.SendAsync(request, Cancellation);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
    }

    private static FormUrlEncodedContent Form(string score, string? comment = null) =>
        new([new("score", score), new("comment", comment ?? "")]);

    private static Task<SurveyRecord?> SurveyAsync(IntakeHost host, string ticketId) =>
        host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation);

    [Fact]
    public async Task The_email_carries_a_link_and_opening_it_records_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);

        var mail = host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == ticketId);
        Assert.Equal("auto-generated", mail.MailHeader("Auto-Submitted"));
        var (status, page) = await SendAsync(client, HttpMethod.Get, path);
        var (again, _) = await SendAsync(client, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(5, Regex.Count(page, "<button type=\"submit\" name=\"score\""));
        Assert.Contains("name=\"comment\"", page, StringComparison.Ordinal);
        var survey = await SurveyAsync(host, ticketId);
        Assert.False(survey!.Answered);
        Assert.Equal(OutboundStatus.Sent, survey.Delivery);

        // The thread keeps the survey without its token.
        var ticket = await GetAsync(client, ticketId);
        Assert.DoesNotContain(ticket.Messages, m => m.GetProperty("text").GetString()!.Contains(path[("/api/surveys?token=".Length)..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_mails_link_and_the_pages_form_carry_the_token_in_the_query_and_never_in_the_path()
    {
        // Application Insights keeps every request's path and strips its query: a token in the path would be stored.
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var ticket = await SubmitAsync(client, "How do I change my withdrawal address?", "customer@example.com");
        await WaitForOutboundAsync(client, ticket.TicketId, "acknowledgement");
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, ticket.TicketId)).Status);
        await WaitForOutboundAsync(client, ticket.TicketId, "survey");
        var mail = host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == ticket.TicketId);

        var link = new Uri(Assert.Single(AnyLink().Matches(mail.Text!)).Value);
        var token = TokenIn(link);
        Assert.Equal("/api/surveys", link.AbsolutePath);
        Assert.NotEmpty(token);

        var (status, page) = await SendAsync(client, HttpMethod.Get, link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        var action = ActionOf(page);
        Assert.Equal("/api/surveys", action.AbsolutePath);
        Assert.Equal(token, TokenIn(action));

        // The page shown again for a post without a score posts to the same address.
        var (again, retry) = await SendAsync(client, HttpMethod.Post, action.PathAndQuery, Form("9"));
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal(action, ActionOf(retry));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, action.PathAndQuery, Form("4"))).Status);
        Assert.Equal(4, (await SurveyAsync(host, ticket.TicketId))!.Score);
    }

    [Fact]
    public async Task A_missing_or_empty_token_gets_what_a_forged_one_gets_and_the_old_path_form_is_not_served()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);
        var token = TokenIn(new Uri(new Uri("https://support.example"), path));

        // Two tokens are no token: both hosts read them joined with a comma, which no token of ours is.
        string[] targets = ["/api/surveys", "/api/surveys?token=", "/api/surveys?token=%20", "/api/surveys?other=" + token, $"/api/surveys?token={token}&token={token}"];
        foreach (var target in targets)
        {
            var (get, page) = await SendAsync(client, HttpMethod.Get, target);
            var (post, answer) = await SendAsync(client, HttpMethod.Post, target, Form("5"));
            using var json = await client.PostAsJsonAsync(new Uri(target, UriKind.Relative), new { score = 5 }, Cancellation);

            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (get, post, json.StatusCode));
            Assert.Contains("not valid", page, StringComparison.Ordinal);
            Assert.Contains("not valid", answer, StringComparison.Ordinal);
            Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        }

        // Nothing answers with the token in the path any more (a redirect would still put it in the logged path).
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "/api/surveys/" + token)).Status);
        Assert.NotEqual(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, "/api/surveys/" + token, Form("5"))).Status);
        Assert.False((await SurveyAsync(host, ticketId))!.Answered);
    }

    [Fact]
    public async Task A_posted_score_is_recorded_once_and_a_low_one_flags_the_ticket_with_an_audit_entry()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);

        var (status, page) = await SendAsync(client, HttpMethod.Post, path, Form("1", "Slow. my password: Tr0ub4dor&3xyz"));
        var (second, _) = await SendAsync(client, HttpMethod.Post, path, Form("5"));
        var (reopened, _) = await SendAsync(client, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Thank you", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, second);
        Assert.Equal(HttpStatusCode.Conflict, reopened);
        var survey = await SurveyAsync(host, ticketId);
        Assert.Equal(1, survey!.Score);
        Assert.DoesNotContain("Tr0ub4dor", survey.Comment, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:password]", survey.Comment, StringComparison.Ordinal);
        var ticket = await GetAsync(client, ticketId);
        Assert.Contains("survey_follow_up", ticket.Json.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var audit = await host.Services.GetRequiredService<TicketStore>().GetAuditAsync(ticketId, Cancellation);
        var entry = Assert.Single(audit, a => a.Action == "survey_follow_up");
        Assert.Equal("score:1", entry.Detail);
    }

    [Fact]
    public async Task A_low_score_tells_the_escalation_channel_once_with_the_tickets_facts_and_not_the_comment()
    {
        const string Leads = "leads@exchange.example";
        var settings = With();
        settings["Sla:Escalation:Email"] = Leads;
        await using var host = await IntakeHost.StartAsync(azurite, settings);
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);
        var reference = (await GetAsync(client, ticketId)).Json.GetProperty("reference").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, path, Form("2", "Nobody read my messages"))).Status);
        var notice = await IntakeHost.WaitForAsync(
            () => Task.FromResult(host.SendGrid.Mails.FirstOrDefault(m => m.ToEmail == Leads)), "the low-score notice to the leads");

        Assert.Equal($"[{reference}] Satisfaction survey scored 2 of 5: follow up", notice.Subject);
        Assert.Contains("Comment left: yes", notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Nobody read", notice.Text, StringComparison.Ordinal);

        // A redelivered follow-up (the queue's at-least-once delivery) sends nothing more.
        var stored = await host.Services.GetRequiredService<TicketStore>().GetAsync(ticketId, Cancellation);
        await host.Services.GetRequiredService<SurveyDesk>().NotifyFollowUpAsync(stored!.Ticket, Cancellation);
        Assert.Single(host.SendGrid.Mails, m => m.ToEmail == Leads);
        var ticket = await GetAsync(client, ticketId);
        var record = Assert.Single(ticket.Json.GetProperty("sla").GetProperty("notifications").EnumerateArray());
        Assert.Equal(("escalation", "email", "sent"), (record.GetProperty("kind").GetString(), record.GetProperty("channel").GetString(), record.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_score_of_three_or_more_tells_the_escalation_channel_nothing()
    {
        const string Leads = "leads@exchange.example";
        var settings = With();
        settings["Sla:Escalation:Email"] = Leads;
        await using var host = await IntakeHost.StartAsync(azurite, settings);
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, path, Form("3"))).Status);
        var stored = await host.Services.GetRequiredService<TicketStore>().GetAsync(ticketId, Cancellation);
        await host.Services.GetRequiredService<SurveyDesk>().NotifyFollowUpAsync(stored!.Ticket, Cancellation);

        Assert.DoesNotContain(host.SendGrid.Mails, m => m.ToEmail == Leads);
        Assert.Empty((await GetAsync(client, ticketId)).Json.GetProperty("sla").GetProperty("notifications").EnumerateArray());
    }

    [Fact]
    public async Task Hostile_answers_get_4xx_never_a_500_and_record_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);

        async Task<HttpStatusCode> PostAsync(string target, byte[] body, string contentType)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            return (await SendAsync(client, HttpMethod.Post, target, content)).Status;
        }

        var oversize = System.Text.Encoding.UTF8.GetBytes("score=1&comment=" + new string('a', SurveyEndpoints.MaxBodyBytes));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(path, oversize, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(path, "{\"score\": 1,"u8.ToArray(), "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(path, "[1]"u8.ToArray(), "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(path, "{\"score\": 99999999999999999999}"u8.ToArray(), "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(path, [0x73, 0x63, 0x6f, 0x72, 0x65, 0x3d, 0xff, 0xfe], "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(path, "score=6"u8.ToArray(), "text/plain"));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync("/api/surveys?token=" + new string('x', 4000), "score=5"u8.ToArray(), "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, HttpMethod.Get, "/api/surveys?token=..%2F..%2Fetc%2Fpasswd")).Status);

        Assert.False((await SurveyAsync(host, ticketId))!.Answered);
    }

    [Fact]
    public async Task A_json_answer_is_accepted_and_a_high_score_flags_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);

        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), new { score = 5, comment = "Quick and kind" }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, (await SurveyAsync(host, ticketId))!.Score);
        Assert.Equal("Quick and kind", (await SurveyAsync(host, ticketId))!.Comment);
        Assert.DoesNotContain("survey_follow_up", (await GetAsync(client, ticketId)).Json.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task A_post_without_a_score_is_400_and_records_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, HttpMethod.Post, path, Form("9"))).Status);
        Assert.False((await SurveyAsync(host, ticketId))!.Answered);
    }

    [Fact]
    public async Task A_forged_token_is_404_and_records_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);
        var forged = path[..^1] + (path[^1] == 'A' ? 'B' : 'A');

        var (get, page) = await SendAsync(client, HttpMethod.Get, forged);
        var (post, _) = await SendAsync(client, HttpMethod.Post, forged, Form("1"));
        var (junk, _) = await SendAsync(client, HttpMethod.Post, "/api/surveys?token=not-a-token", Form("1"));

        Assert.Equal(HttpStatusCode.NotFound, get);
        Assert.Contains("not valid", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, post);
        Assert.Equal(HttpStatusCode.NotFound, junk);
        Assert.False((await SurveyAsync(host, ticketId))!.Answered);
    }

    [Fact]
    public async Task An_expired_token_is_410_and_records_nothing()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, With(), time: clock);
        using var client = host.CreateClient();
        var (ticketId, path) = await ResolvedWithLinkAsync(host, client);
        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Gone, (await SendAsync(client, HttpMethod.Get, path)).Status);
        Assert.Equal(HttpStatusCode.Gone, (await SendAsync(client, HttpMethod.Post, path, Form("5"))).Status);
        Assert.False((await SurveyAsync(host, ticketId))!.Answered);
    }

    [Fact]
    public async Task A_second_resolve_sends_no_second_survey()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var (ticketId, _) = await ResolvedWithLinkAsync(host, client);

        Assert.Equal(HttpStatusCode.OK, (await ReopenAsync(client, ticketId)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, ticketId)).Status);
        await Task.Delay(1000, Cancellation);

        var ticket = await GetAsync(client, ticketId);
        Assert.Single(ticket.Outbound, o => o.GetProperty("kind").GetString() == "survey");
        Assert.Single(host.SendGrid.Mails, m => m.CustomArg("ticketId") == ticketId && m.MailHeader("Auto-Submitted") == "auto-generated");
    }

    [Fact]
    public async Task Pages_speak_the_customers_language()
    {
        await using var host = await IntakeHost.StartAsync(azurite, With());
        using var client = host.CreateClient();
        var ticket = await SubmitAsync(client, "我的提现一直没有到账，请帮忙查一下", "li@example.com");
        await WaitForOutboundAsync(client, ticket.TicketId, "acknowledgement");
        await ResolveAsync(client, ticket.TicketId);
        await WaitForOutboundAsync(client, ticket.TicketId, "survey");
        var mail = host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == ticket.TicketId);
        var path = "/api/surveys?token=" + Link().Match(mail.Text!).Groups[1].Value;

        Assert.Contains("已解决", mail.Text, StringComparison.Ordinal);
        var (_, page) = await SendAsync(client, HttpMethod.Get, path);
        Assert.Contains("lang=\"zh-Hans\"", page, StringComparison.Ordinal);
        Assert.Contains("提交评分", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_survey_token_reaches_the_logs()
    {
        var logs = new CapturedLogs();
        await using var host = await IntakeHost.StartAsync(azurite, With(), logs: logs);
        using var client = host.CreateClient();
        var (_, path) = await ResolvedWithLinkAsync(host, client);
        var token = path["/api/surveys?token=".Length..];

        await SendAsync(client, HttpMethod.Get, path);
        await SendAsync(client, HttpMethod.Post, path, Form("4"));
        await SendAsync(client, HttpMethod.Post, path, Form("4"));

        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }
}
