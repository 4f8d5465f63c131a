using System.Net;
using Intake.Tests.Agents;
using Intake.Tests.Integration;
using static Intake.Tests.Security.WebFormSecurityHelpers;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: anyone can type victim@example.com into the web form. The submitter held the new ticket's status page, and it
/// showed every agent reply written to "the victim" — who may well answer by mail and confirm their account details.
/// Now a web-form contact is unverified until the owner of the address proves it (the verify link in our mail: a page
/// with a button, since mail scanners open links; or a reply by mail); until then the status page says we replied by
/// email instead of showing the replies, and agents see <c>contact.verified: false</c>. Proving the address kills every
/// status link given out before, the submitter's included.
/// </summary>
public sealed class UnverifiedWebContactTests(AzuriteFixture azurite)
{
    private const string Victim = "victim@example.com";
    private const string AgentText = "We have unlocked your account; your withdrawal limit is back to 100 BTC.";

    [Fact]
    public async Task An_agent_reply_is_not_shown_on_the_status_page_of_an_unverified_ticket_and_agents_see_it_is_unverified()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var attacker = NewClient(host);
        var posted = await PostFormAsync(attacker, new() { ["message"] = "My account is locked, please unlock it", ["email"] = Victim, ["language"] = "en" });
        Assert.Equal(HttpStatusCode.SeeOther, posted.Status);
        var ticketId = (await AgentApi.SendAsync(attacker, HttpMethod.Get, "/api/tickets?channel=web")).Json.GetProperty("tickets")[0].GetProperty("id").GetString()!;

        await ReplyAsync(attacker, ticketId, AgentText);
        var page = await GetAsync(attacker, posted.Location!);
        var ticket = await AgentApi.GetAsync(attacker, ticketId);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("My account is locked, please unlock it", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentText, page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("withdrawal limit", page.Body, StringComparison.Ordinal);
        Assert.Contains("We replied by email", page.Body, StringComparison.Ordinal);
        Assert.False(ticket.Json.GetProperty("contact").GetProperty("verified").GetBoolean());
        Assert.Contains("unverified_contact", ticket.Json.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task The_acknowledgement_of_an_unverified_ticket_carries_a_verify_link_that_a_mail_scanner_can_open_without_verifying()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var attacker = NewClient(host);
        var (ticketId, _, attackerLink) = await SubmitAsync(attacker, "Please raise my withdrawal limit", Victim);
        await ReplyAsync(attacker, ticketId, AgentText);

        var mail = await MailToAsync(host, Victim, ticketId);
        Assert.Empty(LinksIn(mail, "/support/status/"));
        var verifyUrl = Assert.Single(LinksIn(mail, "/support/verify/"));
        using var scanner = NewClient(host);
        var first = await GetAsync(scanner, verifyUrl);
        var second = await GetAsync(scanner, verifyUrl);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first, second);
        Assert.Contains("<form method=\"post\"", first.Body, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\"", first.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentText, first.Body, StringComparison.Ordinal);
        Assert.False((await AgentApi.GetAsync(attacker, ticketId)).Json.GetProperty("contact").GetProperty("verified").GetBoolean());
        var attackerPage = await GetAsync(attacker, attackerLink);
        Assert.Equal(HttpStatusCode.OK, attackerPage.Status);
        Assert.DoesNotContain(AgentText, attackerPage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifying_kills_the_submitters_link_and_answers_with_a_fresh_one_that_shows_the_replies()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var attacker = NewClient(host);
        var (ticketId, _, attackerLink) = await SubmitAsync(attacker, "Please raise my withdrawal limit", Victim);
        await ReplyAsync(attacker, ticketId, AgentText);
        var verifyUrl = Assert.Single(LinksIn(await MailToAsync(host, Victim, ticketId), "/support/verify/"));

        using var owner = NewClient(host);
        var verified = await PostLinkAsync(owner, verifyUrl);

        Assert.Equal(HttpStatusCode.SeeOther, verified.Status);
        Assert.Contains("/support/status/", verified.Location, StringComparison.Ordinal);
        var ownerPage = await GetAsync(owner, verified.Location!);
        Assert.Equal(HttpStatusCode.OK, ownerPage.Status);
        Assert.Contains(AgentText, ownerPage.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(attacker, attackerLink)).Status);
        var ticket = await AgentApi.GetAsync(owner, ticketId);
        Assert.True(ticket.Json.GetProperty("contact").GetProperty("verified").GetBoolean());
        Assert.DoesNotContain("unverified_contact", ticket.Json.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains(ticket.Events, e => e.GetProperty("agent").GetString() == "customer" && e.GetProperty("action").GetString() == "contact_verified");

        // The link used again issues another link and revokes nothing: the first one still works.
        var again = await PostLinkAsync(owner, verifyUrl);
        Assert.Equal(HttpStatusCode.SeeOther, again.Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(owner, again.Location!)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(owner, verified.Location!)).Status);
        Assert.Single((await AgentApi.GetAsync(owner, ticketId)).Events, e => e.GetProperty("action").GetString() == "contact_verified");
    }

    [Fact]
    public async Task Sending_the_same_keyed_submission_again_after_the_owner_verified_gets_no_link()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var attacker = NewClient(host);
        var submission = new { message = "Please raise my withdrawal limit", email = Victim };
        var first = await PostKeyedAsync(attacker, submission, "key-1");
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Contains("/support/status/", first.Body, StringComparison.Ordinal);
        var ticketId = (await AgentApi.SendAsync(attacker, HttpMethod.Get, "/api/tickets?channel=web")).Json.GetProperty("tickets")[0].GetProperty("id").GetString()!;
        await ReplyAsync(attacker, ticketId, AgentText);
        var verifyUrl = Assert.Single(LinksIn(await MailToAsync(host, Victim, ticketId), "/support/verify/"));
        using var owner = NewClient(host);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostLinkAsync(owner, verifyUrl)).Status);

        var again = await PostKeyedAsync(attacker, submission, "key-1");

        Assert.Equal(HttpStatusCode.Accepted, again.Status);
        Assert.Null(again.Location);
        Assert.DoesNotContain("token", again.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    private static async Task<WebAnswer> PostKeyedAsync(HttpClient client, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/intake/web", UriKind.Relative)) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return new WebAnswer(
            response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Location?.ToString(), null);
    }

    [Fact]
    public async Task A_tampered_or_foreign_verify_link_verifies_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = NewClient(host);
        var (ticketId, reference, statusUrl) = await SubmitAsync(client, "Please raise my withdrawal limit", Victim);
        var verifyUrl = Assert.Single(LinksIn(await MailToAsync(host, Victim, ticketId), "/support/verify/"));
        var statusToken = statusUrl.Split("token=")[1];

        var tampered = await PostLinkAsync(client, verifyUrl[..^2] + (verifyUrl.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"));
        var statusTokenAsVerify = await PostLinkAsync(client, $"/support/verify/{reference}?token={statusToken}");
        var noToken = await PostLinkAsync(client, $"/support/verify/{reference}");

        foreach (var answer in new[] { tampered, statusTokenAsVerify, noToken })
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.Status);
            Assert.Null(answer.Location);
        }

        Assert.False((await AgentApi.GetAsync(client, ticketId)).Json.GetProperty("contact").GetProperty("verified").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, statusUrl)).Status);
    }
}
