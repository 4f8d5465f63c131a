using System.Net;
using System.Text.Json;
using Intake.Messaging;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Agents;

/// <summary>The agent's writes through the real host over Azurite, replies by email through the fake SendGrid.</summary>
public sealed class AgentEndpointsTests(AzuriteFixture azurite)
{
    private const string Mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Task<Fakes.SendGridRequest> MailAsync(IntakeHost host, int count) =>
        IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count >= count ? host.SendGrid.Mails[count - 1] : null), $"mail {count}");

    [Fact]
    public async Task A_reply_to_a_web_form_ticket_goes_out_by_email_in_the_acknowledgements_thread_and_stops_the_first_response_clock()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "My withdrawal of 500 USDT has been pending for 6 hours");
        var ack = await MailAsync(host, 1);

        var reply = await ReplyAsync(client, accepted.TicketId, "We have found your withdrawal; it will arrive within the hour.", agent: "Mei Lin");

        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        Assert.NotNull(reply.ETag);
        Assert.Equal("open", reply.String("status"));
        var respondedAt = reply.String("firstRespondedAt");
        Assert.NotNull(respondedAt);
        var thread = reply.Messages.ToList();
        Assert.Equal(["inbound", "outbound", "outbound"], thread.Select(m => m.GetProperty("direction").GetString()));
        Assert.Equal("We have found your withdrawal; it will arrive within the hour.", thread[^1].GetProperty("text").GetString());
        Assert.Contains(reply.Outbound, o => o.GetProperty("kind").GetString() == "reply" && o.GetProperty("channel").GetString() == "email");
        Assert.Equal(
            [("Mei Lin", "replied", "reply:3"), ("Mei Lin", "status", "new → open"), ("sla", "sla", "first_response met")],
            reply.Events.Select(e => (e.GetProperty("agent").GetString(), e.GetProperty("action").GetString(), e.GetProperty("detail").GetString())));

        var mail = await MailAsync(host, 2);
        Assert.Equal("customer@example.com", mail.ToEmail);
        Assert.Equal($"Re: [{accepted.Reference}] We have received your message", mail.Subject);
        Assert.Equal("We have found your withdrawal; it will arrive within the hour.", mail.Text);
        Assert.Null(mail.MailHeader("Auto-Submitted"));
        Assert.Equal(ack.MailHeader("Message-ID"), mail.MailHeader("In-Reply-To"));
        Assert.StartsWith($"<{accepted.TicketId}.reply.", mail.MailHeader("Message-ID"), StringComparison.Ordinal);
        var sent = await WaitForOutboundAsync(client, accepted.TicketId, "reply");
        Assert.Contains(sent.Outbound, o => o.GetProperty("kind").GetString() == "reply" && o.GetProperty("status").GetString() == "sent");

        var second = await ReplyAsync(client, accepted.TicketId, "It has arrived.", agent: "Sam");
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        Assert.Equal(respondedAt, second.String("firstRespondedAt"));
        Assert.Equal("open", second.String("status"));
        await MailAsync(host, 3);
    }

    [Fact]
    public async Task A_reply_to_an_email_ticket_answers_the_customers_mail_with_the_ticket_subject()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings(Channels.Email.InboundParsePosts.Settings()));
        using var mailClient = Channels.Email.InboundParsePosts.Client(host);
        using var response = await mailClient.PostAsync(
            Channels.Email.InboundParsePosts.Endpoint,
            Channels.Email.InboundParsePosts.Parsed("My deposit of 0.5 ETH is not credited", subject: "Deposit missing", messageId: "<dep-1@customer.example>"),
            Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var ticketId = outcome.RootElement.GetProperty("ticketId").GetString()!;
        await MailAsync(host, 1);
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.Accepted, (await ReplyAsync(client, ticketId, "Your deposit is credited now.")).Status);

        var mail = await MailAsync(host, 2);
        var reference = TicketIds.ReferenceOf(ticketId);
        Assert.Equal("alice@customer.example", mail.ToEmail);
        Assert.Equal($"Re: [{reference}] Deposit missing", mail.Subject);
        Assert.Equal("<dep-1@customer.example>", mail.MailHeader("In-Reply-To"));
        Assert.Equal("<dep-1@customer.example>", mail.MailHeader("References"));
        Assert.Null(mail.MailHeader("Auto-Submitted"));
    }

    [Fact]
    public async Task A_reply_holding_a_recovery_phrase_is_stored_and_sent_only_redacted_and_never_logged()
    {
        var logs = new CapturedLogs();
        await using var host = await IntakeHost.StartAsync(azurite, Settings(), logs: logs);
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "I cannot restore my wallet");
        await MailAsync(host, 1);

        var reply = await ReplyAsync(client, accepted.TicketId, $"Did you type the words in this order: {Mnemonic}? Never share them.");

        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        Assert.Equal("Did you type the words in this order: [REDACTED:mnemonic]? Never share them.", reply.Messages.Last().GetProperty("text").GetString());
        var mail = await MailAsync(host, 2);
        Assert.Equal("Did you type the words in this order: [REDACTED:mnemonic]? Never share them.", mail.Text);
        Assert.DoesNotContain(host.SendGrid.Requests, r => r.Body.Contains("sausage", StringComparison.Ordinal));
        Assert.DoesNotContain("sausage", (await GetAsync(client, accepted.TicketId)).Json.GetRawText(), StringComparison.Ordinal);
        await WaitForOutboundAsync(client, accepted.TicketId, "reply");
        Assert.DoesNotContain(logs.Lines, line => line.Contains("sausage", StringComparison.Ordinal) || line.Contains("Never share them", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redelivered_reply_message_sends_the_reply_once()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Where is my withdrawal?");
        await MailAsync(host, 1);
        var reply = await ReplyAsync(client, accepted.TicketId, "Looking into it now.");
        await WaitForOutboundAsync(client, accepted.TicketId, "reply");
        var sequence = reply.Messages.Count();

        var worker = host.Services.GetRequiredService<TicketWorker>();
        var again = new TicketQueueMessage(
            $"{accepted.TicketId}:agent_replied:{sequence}", accepted.TicketId, accepted.Reference, Intake.Triage.Urgency.Normal, "web", TicketEvent.AgentReplied, sequence);
        await Task.WhenAll(worker.HandleAsync(again, Cancellation), worker.HandleAsync(again, Cancellation));
        await worker.HandleAsync(again, Cancellation);

        Assert.Equal(2, host.SendGrid.Mails.Count);
        Assert.Single((await GetAsync(client, accepted.TicketId)).Outbound, o => o.GetProperty("kind").GetString() == "reply");
    }

    [Fact]
    public async Task Resolve_reopen_and_patch_change_the_ticket_and_record_who_did_it()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "How do I change my nickname?", "nick@example.com");

        // The worker's writes (the acknowledgement, then the survey the resolve asks for) land before the reads below,
        // so that the ETag the reopen answers with is still the ticket's when it is read.
        await WaitForOutboundAsync(client, accepted.TicketId, "acknowledgement");
        var waiting = await PatchAsync(client, accepted.TicketId, new { agent = "Ana", status = "waiting_on_customer", category = "feedback" });
        Assert.Equal(HttpStatusCode.OK, waiting.Status);
        Assert.Equal("waiting_on_customer", waiting.String("status"));
        Assert.Equal("feedback", waiting.String("category"));

        var resolved = await ResolveAsync(client, accepted.TicketId, "Bo");
        Assert.Equal(HttpStatusCode.OK, resolved.Status);
        Assert.Equal("resolved", resolved.String("status"));
        Assert.NotNull(resolved.String("resolvedAt"));
        await WaitForOutboundAsync(client, accepted.TicketId, "survey");

        var reopened = await ReopenAsync(client, accepted.TicketId, "Cy");
        Assert.Equal(HttpStatusCode.OK, reopened.Status);
        Assert.Equal("open", reopened.String("status"));
        Assert.Equal(JsonValueKind.Null, reopened.Json.GetProperty("resolvedAt").ValueKind);

        var read = await GetAsync(client, accepted.TicketId);
        Assert.Equal(reopened.ETag, read.ETag);
        Assert.Equal(
            [
                ("Ana", "status", "new → waiting_on_customer"),
                ("Ana", "category", "general → feedback"),
                ("Bo", "resolved", "waiting_on_customer → resolved"),
                ("sla", "sla", "resolution met"),
                ("Cy", "reopened", "resolved → open"),
            ],
            read.Events.Select(e => (e.GetProperty("agent").GetString(), e.GetProperty("action").GetString(), e.GetProperty("detail").GetString())));
        Assert.All(read.Events, e => Assert.True(e.TryGetProperty("at", out _)));

        using var listed = JsonDocument.Parse((await SendAsync(client, HttpMethod.Get, "/api/tickets?status=open")).Json.GetRawText());
        Assert.Contains(listed.RootElement.GetProperty("tickets").EnumerateArray(), t => t.GetProperty("id").GetString() == accepted.TicketId);
        var resolvedList = await SendAsync(client, HttpMethod.Get, "/api/tickets?status=resolved");
        Assert.DoesNotContain(resolvedList.Json.GetProperty("tickets").EnumerateArray(), t => t.GetProperty("id").GetString() == accepted.TicketId);
    }

    [Fact]
    public async Task Raising_the_urgency_brings_the_running_due_times_forward_and_moves_the_listing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Great app! Would love to see a dark mode.", "low@example.com");
        var before = await GetAsync(client, accepted.TicketId);
        Assert.Equal("low", before.String("urgency"));
        var createdAt = before.Json.GetProperty("createdAt").GetDateTimeOffset();

        var raised = await PatchAsync(client, accepted.TicketId, new { agent = "Dee", urgency = "high" });

        Assert.Equal(HttpStatusCode.OK, raised.Status);
        Assert.Equal("high", raised.String("urgency"));
        Assert.Equal(createdAt.AddHours(1), raised.Json.GetProperty("firstResponseDueAt").GetDateTimeOffset());
        Assert.Equal(createdAt.AddHours(24), raised.Json.GetProperty("resolutionDueAt").GetDateTimeOffset());
        Assert.Contains(raised.Events, e => e.GetProperty("detail").GetString() == "low → high" && e.GetProperty("agent").GetString() == "Dee");
        var high = await SendAsync(client, HttpMethod.Get, "/api/tickets?status=new&urgency=high");
        Assert.Contains(high.Json.GetProperty("tickets").EnumerateArray(), t => t.GetProperty("id").GetString() == accepted.TicketId);
        var low = await SendAsync(client, HttpMethod.Get, "/api/tickets?status=new&urgency=low");
        Assert.DoesNotContain(low.Json.GetProperty("tickets").EnumerateArray(), t => t.GetProperty("id").GetString() == accepted.TicketId);
    }

    [Fact]
    public async Task A_stale_if_match_gets_409_and_changes_nothing_while_the_current_one_goes_through()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "My deposit is missing", "etag@example.com");

        // The acknowledgement changes the ticket too (its thread): read after it.
        var read = await WaitForOutboundAsync(client, accepted.TicketId, "acknowledgement");
        Assert.NotNull(read.ETag);
        var first = await PatchAsync(client, accepted.TicketId, new { agent = "Ana", category = "deposit" }, read.ETag);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotEqual(read.ETag, first.ETag);

        var stale = await PatchAsync(client, accepted.TicketId, new { agent = "Bo", category = "withdrawal" }, read.ETag);
        var staleReply = await ReplyAsync(client, accepted.TicketId, "Hello", agent: "Bo", ifMatch: read.ETag);
        var staleResolve = await ResolveAsync(client, accepted.TicketId, "Bo", ifMatch: read.ETag);

        Assert.All([stale, staleReply, staleResolve], r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Equal("application/problem+json", r.ContentType);
        });
        var after = await GetAsync(client, accepted.TicketId);
        Assert.Equal(first.ETag, after.ETag);
        Assert.Equal("deposit", after.String("category"));
        Assert.Equal("new", after.String("status"));
        Assert.Single(after.Events);
        Assert.Equal(2, after.Messages.Count());
        var current = await ResolveAsync(client, accepted.TicketId, "Bo", ifMatch: after.ETag);
        Assert.Equal(HttpStatusCode.OK, current.Status);
    }

    [Fact]
    public async Task Twenty_concurrent_patches_without_if_match_all_land()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "My withdrawal is stuck", "busy@example.com");
        string[] categories = ["deposit", "withdrawal", "trading", "api", "verification"];

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            PatchAsync(client, accepted.TicketId, new { agent = $"agent-{i}", category = categories[i % categories.Length] })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var read = await GetAsync(client, accepted.TicketId);
        var events = read.Events.ToList();
        Assert.Equal(20, events.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"agent-{i}").Order(), events.Select(e => e.GetProperty("agent").GetString()!).Order());

        // Each entry starts from what the one before it left: no update was decided on a ticket another had already changed.
        var chain = events.Select(e => e.GetProperty("detail").GetString()!.Split(" → ")).ToList();
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1][1], chain[i][0]);
        }

        Assert.Equal(chain[^1][1], read.String("category"));
    }

    [Theory]
    [InlineData("POST", "/replies")]
    [InlineData("POST", "/resolve")]
    [InlineData("POST", "/reopen")]
    [InlineData("PATCH", "")]
    public async Task Writes_without_the_api_key_get_401_and_change_nothing(string method, string suffix)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Hello there", "nokey@example.com");

        var answer = await SendAsync(client, new HttpMethod(method), $"/api/tickets/{accepted.TicketId}{suffix}", new { agent = "X", text = "hi", status = "open" }, key: null);
        var wrong = await SendAsync(client, new HttpMethod(method), $"/api/tickets/{accepted.TicketId}{suffix}", new { agent = "X", text = "hi", status = "open" }, key: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        var read = await GetAsync(client, accepted.TicketId);
        Assert.Empty(read.Events);
        Assert.Equal("new", read.String("status"));
    }

    [Theory]
    [InlineData("/replies", """{"agent":"Mei"}""", "text")]
    [InlineData("/replies", """{"agent":"Mei","text":"   "}""", "text")]
    [InlineData("/replies", """{"agent":"Mei","text":42}""", "text")]
    [InlineData("/replies", """{"agent":"","text":"hello"}""", "agent")]
    [InlineData("/replies", """{"agent":"customer","text":"hello"}""", "agent")]
    [InlineData("/replies", """{"agent":"Mei\nLin","text":"hello"}""", "agent")]
    [InlineData("/resolve", "not json", "body")]
    [InlineData("/resolve", "[1,2]", "body")]
    [InlineData("/reopen", """{"agent":["Mei"]}""", "agent")]
    [InlineData("", """{"agent":"Mei"}""", "status")]
    [InlineData("", """{"agent":"Mei","status":"resolved"}""", "status")]
    [InlineData("", """{"agent":"Mei","status":"closed"}""", "status")]
    [InlineData("", """{"agent":"Mei","status":"new"}""", "status")]
    [InlineData("", """{"agent":"Mei","urgency":"critical"}""", "urgency")]
    [InlineData("", """{"agent":"Mei","category":"misc"}""", "category")]
    public async Task Bad_input_gets_a_validation_problem_naming_the_field(string suffix, string body, string field)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Hello there", "bad@example.com");

        var answer = await SendAsync(client, suffix.Length == 0 ? HttpMethod.Patch : HttpMethod.Post, $"/api/tickets/{accepted.TicketId}{suffix}", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.True(answer.Json.GetProperty("errors").TryGetProperty(field, out _), answer.Json.GetRawText());
        Assert.Empty((await GetAsync(client, accepted.TicketId)).Events);
    }

    [Fact]
    public async Task Long_texts_and_names_are_refused_and_huge_bodies_get_413()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Hello there", "long@example.com");

        var longText = await ReplyAsync(client, accepted.TicketId, new string('a', 10_001));
        var longName = await ReplyAsync(client, accepted.TicketId, "hello", agent: new string('b', 101));
        var fits = await ReplyAsync(client, accepted.TicketId, new string('c', 10_000));
        var huge = await SendAsync(client, HttpMethod.Post, $"/api/tickets/{accepted.TicketId}/replies", new { agent = "Mei", text = new string('e', 200_000) });

        Assert.Equal(HttpStatusCode.BadRequest, longText.Status);
        Assert.Equal(HttpStatusCode.BadRequest, longName.Status);
        Assert.Equal(HttpStatusCode.Accepted, fits.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal("application/problem+json", huge.ContentType);
    }

    [Theory]
    [InlineData("/api/tickets/01NOSUCHTICKET000000000000/resolve")]
    [InlineData("/api/tickets/01NOSUCHTICKET000000000000/reopen")]
    [InlineData("/api/tickets/not-an-id/resolve")]
    [InlineData("/api/tickets/01NOSUCHTICKET000000000000/replies")]
    public async Task An_unknown_ticket_is_404(string path)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();

        var answer = await SendAsync(client, HttpMethod.Post, path, new { agent = "Mei", text = "hello" });
        var patch = await PatchAsync(client, "01NOSUCHTICKET000000000000", new { agent = "Mei", status = "open" });

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(HttpStatusCode.NotFound, patch.Status);
    }

    [Fact]
    public async Task Transitions_the_status_does_not_allow_get_409_and_change_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "Hello there", "flow@example.com");

        var reopenNew = await ReopenAsync(client, accepted.TicketId);
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, accepted.TicketId)).Status);
        var resolveAgain = await ResolveAsync(client, accepted.TicketId);
        var patchResolved = await PatchAsync(client, accepted.TicketId, new { agent = "Mei", status = "waiting_on_customer" });

        Assert.All([reopenNew, resolveAgain, patchResolved], r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Equal("application/problem+json", r.ContentType);
            Assert.False(string.IsNullOrEmpty(r.String("detail")));
        });
        var read = await GetAsync(client, accepted.TicketId);
        Assert.Equal("resolved", read.String("status"));

        // The resolution and the SLA clock's record of it; none of the refused changes.
        Assert.Equal(["resolved", "sla"], read.Events.Select(e => e.GetProperty("action").GetString()));
    }
}
