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
    public async Task Wrong_keys_lock_the_name_out_for_a_while_even_against_the_right_key_and_then_it_opens_again()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Desk:MaxFailedSignIns"] = "3", ["Desk:LockoutDuration"] = "00:10:00" }), time: clock);
        using var browser = new DeskBrowser(host);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync("Sam", "not-sams-key-000000000000000000000")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync("Sam", KeyOf("Mei Lin"))).Status);
        var third = await browser.SignInAsync("sam", "still-not-sams-key-00000000000000");
        Assert.Equal((HttpStatusCode)429, third.Status);
        Assert.NotNull(third.Raw.Headers.RetryAfter);

        var right = await browser.SignInAsync("Sam", KeyOf("Sam"));
        Assert.Equal((HttpStatusCode)429, right.Status);
        Assert.DoesNotContain(right.SetCookies, c => c.StartsWith(DeskSignIn.SessionCookie + "=", StringComparison.Ordinal));

        // Another agent is not locked by Sam's lock; an unknown name is counted the same way as a known one.
        Assert.Equal(HttpStatusCode.SeeOther, (await new DeskBrowser(host).SignInAsync("Ana", KeyOf("Ana"))).Status);
        for (var i = 0; i < 3; i++)
        {
            await browser.SignInAsync("nobody-at-all", "a-guess-of-some-length-000000000000");
        }

        Assert.Equal((HttpStatusCode)429, (await browser.SignInAsync("nobody-at-all", "a-guess-of-some-length-000000000000")).Status);

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("Sam", KeyOf("Sam"))).Status);
    }

    [Fact]
    public async Task A_sign_in_posted_without_the_forms_cookie_is_refused_and_counts_nothing_against_the_name()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Desk:MaxFailedSignIns"] = "1" }));
        using var browser = new DeskBrowser(host);

        // A page elsewhere posting to the desk: no cookie of the sign-in form comes with it.
        var forged = await browser.PostAsync(DeskPaths.SignIn, [new("_form", "made-up-token-made-up-token-made-up-00"), new("name", "Mei"), new("key", "wrong-key-00000000000000000000000000")]);

        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync("Mei", ApiKey)).Status);
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
    public async Task A_post_without_the_sessions_form_token_is_refused_and_changes_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Where is my deposit?");
        using var browser = new DeskBrowser(host);
        await browser.SignInAsync("Mei", ApiKey);
        var page = await browser.GetAsync(DeskPaths.Ticket(accepted.TicketId));

        var forged = await browser.PostAsync(DeskPaths.Ticket(accepted.TicketId) + "/resolve", [new("_form", "forged"), new("etag", page.Field("etag")!)]);
        var missing = await browser.PostAsync(DeskPaths.Ticket(accepted.TicketId) + "/resolve", [new("etag", page.Field("etag")!)]);

        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Equal(HttpStatusCode.Forbidden, missing.Status);
        Assert.NotEqual("resolved", (await GetAsync(client, accepted.TicketId)).String("status"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_its_cookie_opens_nothing_afterwards()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var browser = new DeskBrowser(host);
        var signedIn = await browser.SignInAsync("Mei", ApiKey);
        var token = signedIn.SetCookies.Single(c => c.StartsWith(DeskSignIn.SessionCookie + "=", StringComparison.Ordinal)).Split(';')[0];
        var queue = await browser.GetAsync(DeskPaths.Queue);

        var signedOut = await browser.PostAsync(DeskPaths.SignOut, [new("_form", queue.Field("_form")!)]);

        Assert.Equal(HttpStatusCode.SeeOther, signedOut.Status);
        Assert.Equal(DeskPaths.SignIn, signedOut.Location);
        using var replay = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(DeskPaths.Queue, UriKind.Relative));
        request.Headers.Add("Cookie", token);
        using var response = await replay.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
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
}
