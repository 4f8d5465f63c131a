using System.Net;
using Intake.Desk;
using Intake.Tests.Integration;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Desk;

/// <summary>The agents' desk through the real host over Azurite: sign-in, the queue, a ticket, its changes and their conflicts.</summary>
public sealed class DeskTests(AzuriteFixture azurite)
{
    private const string Mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
    private const string EvmAddress = "0x52908400098527886E0F7030069857D2E4169EE7";
    private const string TxHash = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";

    [Fact]
    public async Task The_desk_sends_a_stranger_to_sign_in_and_an_agent_with_name_and_key_to_the_queue_with_a_strict_cookie()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var browser = new DeskBrowser(host);

        var stranger = await browser.GetAsync(DeskPaths.Queue);
        Assert.Equal(HttpStatusCode.SeeOther, stranger.Status);
        Assert.Equal(DeskPaths.SignIn, stranger.Location);

        var signIn = await browser.GetAsync(DeskPaths.SignIn);
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'", signIn.Raw.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", signIn.Raw.Headers.CacheControl?.ToString());

        var signedIn = await browser.SignInAsync("mei", ApiKey);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.Status);
        Assert.Equal(DeskPaths.Queue, signedIn.Location);
        var cookie = Assert.Single(signedIn.SetCookies, c => c.StartsWith(DeskSignIn.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/desk", cookie, StringComparison.OrdinalIgnoreCase);

        var queue = await browser.GetAsync(DeskPaths.Queue);
        Assert.Equal(HttpStatusCode.OK, queue.Status);
        Assert.Contains("Signed in as Mei", queue.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_queue_lists_open_tickets_most_urgent_first_filters_them_and_pages_through_them()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Desk:PageSize"] = "5" }));
        using var client = host.CreateClient();
        var question = await SubmitAsync(client, "How do I change the nickname shown on my profile?", email: "a@example.com");
        var theft = await SubmitAsync(client, "Someone logged into my account and withdrew all my BTC, it was not me! Help", email: "b@example.com");
        for (var i = 0; i < 4; i++)
        {
            await SubmitAsync(client, $"What are the trading fees for spot orders, tier {i}?", email: $"c{i}@example.com");
        }

        using var browser = new DeskBrowser(host);
        await browser.SignInAsync("Mei", ApiKey);

        var first = await browser.GetAsync(DeskPaths.Queue);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains(theft.Reference, first.Html, StringComparison.Ordinal);
        Assert.True(first.Html.IndexOf(theft.Reference, StringComparison.Ordinal) < first.Html.IndexOf("trading fees", StringComparison.Ordinal), "the urgent theft comes first");
        Assert.Contains("Someone logged into my account", first.Html, StringComparison.Ordinal);
        var next = System.Text.RegularExpressions.Regex.Match(first.Html, "href=\"(/desk\\?[^\"]*page=[^\"]*)\" rel=\"next\"", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        Assert.True(next.Success, "five to a page, six tickets: a next page");

        var second = await browser.GetAsync(WebUtility.HtmlDecode(next.Groups[1].Value));
        var shown = new[] { first.Html, second.Html }.Sum(html => System.Text.RegularExpressions.Regex.Count(html, "<tr><th scope=\"row\">"));
        Assert.Equal(6, shown);
        Assert.Contains(question.Reference, first.Html + second.Html, StringComparison.Ordinal);

        var urgent = await browser.GetAsync(DeskPaths.Queue + "?status=active&urgency=urgent");
        Assert.Contains(theft.Reference, urgent.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(question.Reference, urgent.Html, StringComparison.Ordinal);

        var telegram = await browser.GetAsync(DeskPaths.Queue + "?channel=telegram");
        Assert.DoesNotContain(theft.Reference, telegram.Html, StringComparison.Ordinal);
        var english = await browser.GetAsync(DeskPaths.Queue + "?language=en&category=security");
        Assert.Contains(theft.Reference, english.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(question.Reference, english.Html, StringComparison.Ordinal);
        var chinese = await browser.GetAsync(DeskPaths.Queue + "?language=zh-Hans");
        Assert.DoesNotContain(theft.Reference, chinese.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ticket_shows_its_redaction_markers_entities_with_their_network_and_sla_and_a_new_ticket_is_counting_down()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, $"My deposit {TxHash} to {EvmAddress} never arrived. My phrase is {Mnemonic}");
        using var browser = new DeskBrowser(host);
        await browser.SignInAsync("Mei", ApiKey);

        var page = await browser.GetAsync(DeskPaths.Ticket(accepted.TicketId));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<mark class=\"redacted\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:mnemonic]", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("legal winner", page.Html, StringComparison.Ordinal);
        Assert.Contains($"<code class=\"copy\">{EvmAddress}</code>", page.Html, StringComparison.Ordinal);
        Assert.Contains($"<code class=\"copy\">{TxHash}</code>", page.Html, StringComparison.Ordinal);
        Assert.Contains("Ethereum or another EVM chain", page.Html, StringComparison.Ordinal);
        Assert.Contains("Secret exposed", page.Html, StringComparison.Ordinal);
        Assert.Contains("Unverified contact", page.Html, StringComparison.Ordinal);
        Assert.Matches("class=\"sla-(ok|warn)\">(Warning: )?first response due in", page.Html);
    }

    [Fact]
    public async Task A_reply_from_the_desk_reaches_the_customer_and_the_audit_trail_names_the_signed_in_agent()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "My withdrawal of 500 USDT has been pending for 6 hours");
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count >= 1 ? host.SendGrid.Mails[0] : null), "acknowledgement");
        using var browser = new DeskBrowser(host);
        await browser.SignInAsync("Mei Lin", KeyOf("Mei Lin"));

        var replied = await browser.ActAsync(accepted.TicketId, "reply", ("text", "We found your withdrawal; it arrives within the hour."));

        Assert.Equal(HttpStatusCode.SeeOther, replied.Status);
        Assert.Equal(DeskPaths.Ticket(accepted.TicketId) + "?done=reply", replied.Location);
        var mail = await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count >= 2 ? host.SendGrid.Mails[1] : null), "reply");
        Assert.Equal("We found your withdrawal; it arrives within the hour.", mail.Text);
        var ticket = await GetAsync(client, accepted.TicketId);
        Assert.Contains(ticket.Events, e => e.GetProperty("agent").GetString() == "Mei Lin" && e.GetProperty("action").GetString() == "replied");
        var page = await browser.GetAsync(replied.Location!);
        Assert.Contains("Your reply is recorded", page.Html, StringComparison.Ordinal);

        var waiting = await browser.ActAsync(accepted.TicketId, "status", ("status", "waiting_on_customer"));
        Assert.Equal(HttpStatusCode.SeeOther, waiting.Status);
        Assert.Equal("waiting_on_customer", (await GetAsync(client, accepted.TicketId)).String("status"));
        var triaged = await browser.ActAsync(accepted.TicketId, "triage", ("urgency", "urgent"), ("category", "security"));
        Assert.Equal(HttpStatusCode.SeeOther, triaged.Status);
        var after = await GetAsync(client, accepted.TicketId);
        Assert.Equal(("urgent", "security"), (after.String("urgency"), after.String("category")));
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.ActAsync(accepted.TicketId, "resolve")).Status);
        Assert.Equal("resolved", (await GetAsync(client, accepted.TicketId)).String("status"));
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.ActAsync(accepted.TicketId, "reopen")).Status);
        Assert.Equal("open", (await GetAsync(client, accepted.TicketId)).String("status"));
    }

    [Fact]
    public async Task A_change_made_meanwhile_turns_a_resolve_and_a_reply_into_a_conflict_that_saves_nothing_and_keeps_the_typed_reply()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "I cannot log in, the 2FA code is always wrong");
        using var browser = new DeskBrowser(host);
        await browser.SignInAsync("Mei", ApiKey);
        var opened = await browser.GetAsync(DeskPaths.Ticket(accepted.TicketId));

        // Sam raises it through the API while Mei's page is open.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, accepted.TicketId, new { agent = "Sam", urgency = "urgent" })).Status);

        var resolve = await browser.ActOnAsync(opened, accepted.TicketId, "resolve");
        Assert.Equal(HttpStatusCode.Conflict, resolve.Status);
        Assert.Contains("Someone else changed this ticket", resolve.Html, StringComparison.Ordinal);
        Assert.NotEqual("resolved", (await GetAsync(client, accepted.TicketId)).String("status"));

        const string Typed = "Please reset your 2FA with the <link> we sent — \"quoted\" & more";
        var reply = await browser.ActOnAsync(opened, accepted.TicketId, "reply", ("text", Typed));
        Assert.Equal(HttpStatusCode.Conflict, reply.Status);
        Assert.Equal(Typed, reply.TypedReply());
        Assert.DoesNotContain((await GetAsync(client, accepted.TicketId)).Messages, m => m.GetProperty("direction").GetString() == "outbound" && m.GetProperty("text").GetString() == Typed);

        // The conflict page is the ticket as it is now: sending again from it goes through.
        var again = await browser.ActOnAsync(reply, accepted.TicketId, "reply", ("text", reply.TypedReply()!));
        Assert.Equal(HttpStatusCode.SeeOther, again.Status);
    }

    [Fact]
    public async Task The_desk_speaks_simplified_chinese_to_a_browser_that_asks_and_switches_language_on_request()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var browser = new DeskBrowser(host, acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.5");
        await browser.SignInAsync("Mei", ApiKey);

        var queue = await browser.GetAsync(DeskPaths.Queue);
        Assert.Contains("<html lang=\"zh-Hans\">", queue.Html, StringComparison.Ordinal);
        Assert.Contains("工单队列", queue.Html, StringComparison.Ordinal);

        var english = await browser.GetAsync(DeskPaths.Queue + "?lang=en");
        Assert.Contains("<html lang=\"en\">", english.Html, StringComparison.Ordinal);
        var remembered = await browser.GetAsync(DeskPaths.Queue);
        Assert.Contains("<html lang=\"en\">", remembered.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain", "text=hello", 415)]
    [InlineData("application/x-www-form-urlencoded", "text=\u00ff\u00fe", 400)]
    public async Task Hostile_posts_get_a_page_with_the_right_status_and_never_a_500(string contentType, string body, int status)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Where is my deposit?");
        using var browser = new DeskBrowser(host);
        await browser.SignInAsync("Mei", ApiKey);

        // Latin-1 bytes: 0xFF 0xFE are not UTF-8.
        using var content = new ByteArrayContent(System.Text.Encoding.Latin1.GetBytes(body));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        var response = await browser.PostRawAsync(DeskPaths.Ticket(accepted.TicketId) + "/reply", content);

        Assert.Equal(status, (int)response.Status);
        var huge = await browser.PostRawAsync(DeskPaths.Ticket(accepted.TicketId) + "/reply", DeskBrowser.Form("text=" + new string('a', DeskForm.MaxBytes + 1)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(DeskPaths.Ticket("not-a-ticket"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(DeskPaths.Ticket(new string('9', 64)))).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(DeskPaths.Queue + "?status=%00&urgency=<script>&page=%FF%FF")).Status);
    }

    [Fact]
    public async Task Blocking_from_a_ticket_stops_the_contacts_next_message_from_opening_a_ticket_or_getting_an_answer_until_unblocked()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var spam = await SubmitAsync(client, "Cheap followers, visit our site", email: "spam@example.com");
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count >= 1 ? host.SendGrid.Mails[0] : null), "acknowledgement");
        using var browser = new DeskBrowser(host);
        await browser.SignInAsync("Mei", ApiKey);
        var page = await browser.GetAsync(DeskPaths.Ticket(spam.TicketId));

        var blocked = await browser.PostAsync(DeskPaths.Blocked, [new("_form", page.Field("_form")!), new("channel", "web"), new("id", "SPAM@example.com"), new("ticket", spam.TicketId), new("reason", "advertising")]);

        Assert.Equal(HttpStatusCode.SeeOther, blocked.Status);
        Assert.Equal(DeskPaths.Ticket(spam.TicketId) + "?done=blocked", blocked.Location);
        Assert.Contains("Unblock", (await browser.GetAsync(blocked.Location!)).Html, StringComparison.Ordinal);
        var tickets = await host.CountTicketsAsync();
        await SubmitAsync(client, "Cheap followers, second offer", email: "spam@example.com");
        var list = await browser.GetAsync(DeskPaths.Blocked);
        Assert.Contains("spam@example.com", list.Html, StringComparison.Ordinal);
        Assert.Contains("advertising", list.Html, StringComparison.Ordinal);
        Assert.Contains("1 blocked", list.Html, StringComparison.Ordinal);
        var messages = await browser.GetAsync(DeskPaths.Blocked + "?channel=web&id=spam%40example.com");
        Assert.Contains("Cheap followers, second offer", messages.Html, StringComparison.Ordinal);
        Assert.Equal(tickets, await host.CountTicketsAsync());
        Assert.Single(host.SendGrid.Mails);

        var unblocked = await browser.PostAsync(DeskPaths.Blocked + "/remove", [new("_form", list.Field("_form")!), new("channel", "web"), new("id", "spam@example.com")]);
        Assert.Equal(DeskPaths.Blocked + "?done=unblocked", unblocked.Location);
        await SubmitAsync(client, "A real question now: where is my deposit?", email: "spam@example.com");
        Assert.Equal(tickets + 1, await host.CountTicketsAsync());
        Assert.Contains("No contact is blocked.", (await browser.GetAsync(DeskPaths.Blocked)).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_shows_the_days_asked_for_and_a_range_it_cannot_read_is_a_400_with_the_last_30_days()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        await SubmitAsync(client, "My withdrawal of 500 USDT has been pending for 6 hours");
        using var browser = new DeskBrowser(host);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.GetAsync(DeskPaths.Dashboard)).Status);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.GetAsync(DeskPaths.Blocked)).Status);
        await browser.SignInAsync("Mei", ApiKey);

        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var dashboard = await browser.GetAsync($"{DeskPaths.Dashboard}?from={today}&to={today}");
        var backwards = await browser.GetAsync($"{DeskPaths.Dashboard}?from=2026-03-02&to=2026-03-01");
        var garbage = await browser.GetAsync($"{DeskPaths.Dashboard}?from=%3Cscript%3E&to=" + new string('9', 40));

        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("<svg", dashboard.Html, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Dashboard</a>", dashboard.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.Status);
        Assert.Contains("Those days could not be read", backwards.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        Assert.DoesNotContain("<script>", garbage.Html, StringComparison.Ordinal);
    }
}
