using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Intake.Tests.Agents;
using Intake.Tests.Integration;
using static Intake.Tests.Security.WebFormSecurityHelpers;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a status link, once given out, worked for ever and for whoever held it (a forwarded mail, a screenshot sent
/// to a "support agent" on Telegram, a shared computer's history), and nothing could take it back. Links now expire
/// (<c>Intake:StatusLinkLifetime</c>), an agent can revoke every link of a ticket, and links of the old, unexpiring format
/// open nothing.
/// </summary>
public sealed class StatusLinkExpiryAndRevocationTests(AzuriteFixture azurite)
{
    private const string SigningKey = "test-signing-key-of-at-least-32-characters";

    [Fact]
    public async Task A_status_link_opens_the_page_until_it_expires_and_then_gets_the_same_404_as_a_wrong_one()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Intake:StatusLinkLifetime"] = "30.00:00:00" }), time: clock);
        using var client = NewClient(host);
        var (_, reference, statusUrl) = await SubmitAsync(client, "How long does a SEPA deposit take?", email: null);
        var wrong = await GetAsync(client, $"/support/status/{reference}?token=AAAAAAAAAAAAAAAAAAAAAAAA");

        clock.Advance(TimeSpan.FromDays(29));
        var beforeExpiry = await GetAsync(client, statusUrl);
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var afterExpiry = await GetAsync(client, statusUrl);

        Assert.Equal(HttpStatusCode.OK, beforeExpiry.Status);
        Assert.Equal(HttpStatusCode.NotFound, afterExpiry.Status);
        Assert.Equal(wrong, afterExpiry);
    }

    [Fact]
    public async Task A_status_link_of_the_old_format_without_expiry_opens_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = NewClient(host);
        var (_, reference, _) = await SubmitAsync(client, "How do I change my phone number?", email: null);

        // The old token: the first 18 bytes of HMAC-SHA256(key, "status|" + reference), base64url.
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.UTF8.GetBytes("status|" + reference));
        var old = await GetAsync(client, $"/support/status/{reference}?token={Base64Url.EncodeToString(mac.AsSpan(0, 18))}");

        Assert.Equal(HttpStatusCode.NotFound, old.Status);
    }

    [Fact]
    public async Task An_agent_revokes_a_tickets_status_links_and_the_revocation_is_audited()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = NewClient(host);
        var (ticketId, _, statusUrl) = await SubmitAsync(client, "I shared my screen with someone claiming to be support", email: null);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, statusUrl)).Status);

        var revoked = await AgentApi.SendAsync(client, HttpMethod.Post, $"/api/tickets/{ticketId}/status-links/revoke", new { agent = "Mei" });

        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Contains(revoked.Events, e => e.GetProperty("agent").GetString() == "Mei" && e.GetProperty("action").GetString() == "status_links_revoked");
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, statusUrl)).Status);
    }

    [Fact]
    public async Task A_link_the_customer_quotes_or_pastes_is_not_kept_in_the_thread_where_others_could_read_it_after_a_revocation()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = NewClient(host);
        var (ticketId, reference, _) = await SubmitAsync(client, "My deposit of 300 USDT has not arrived", "quoter@example.com");
        var verifyUrl = Assert.Single(LinksIn(await MailToAsync(host, "quoter@example.com", ticketId), "/support/verify/"));
        var statusUrl = (await PostLinkAsync(client, verifyUrl)).Location!;
        var statusToken = statusUrl.Split("token=")[1];

        await AgentApi.FollowUpAsync(client, $"> To see your ticket, confirm your email address with this link:\n> {verifyUrl}\nStill waiting.", "quoter@example.com", reference);
        var page = await GetAsync(client, statusUrl);
        var ticket = await AgentApi.GetAsync(client, ticketId);

        Assert.Contains("Still waiting.", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(verifyUrl.Split("token=")[1], page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(verifyUrl.Split("token=")[1], ticket.Json.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(statusToken, ticket.Json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_needs_the_agent_key_and_a_ticket_and_is_refused_in_another_agents_name()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = NewClient(host);
        var (ticketId, _, statusUrl) = await SubmitAsync(client, "Is there a fee for internal transfers?", email: null);

        var noKey = await AgentApi.SendAsync(client, HttpMethod.Post, $"/api/tickets/{ticketId}/status-links/revoke", new { agent = "Mei" }, key: null);
        var otherAgent = await AgentApi.SendAsync(client, HttpMethod.Post, $"/api/tickets/{ticketId}/status-links/revoke", new { agent = "Someone Else" }, key: AgentApi.ApiKey);
        var noTicket = await AgentApi.SendAsync(client, HttpMethod.Post, "/api/tickets/01JZZZZZZZZZZZZZZZZZZZZZZZ/status-links/revoke", new { agent = "Mei" });

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.Status);
        Assert.Equal(HttpStatusCode.BadRequest, otherAgent.Status);
        Assert.Equal(HttpStatusCode.NotFound, noTicket.Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, statusUrl)).Status);
    }

    [Fact]
    public async Task After_a_revocation_the_verify_link_in_the_customers_mail_gives_a_fresh_link_that_works()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = NewClient(host);
        var (ticketId, _, _) = await SubmitAsync(client, "My deposit of 300 USDT has not arrived", "owner@example.com");
        var verifyUrl = Assert.Single(LinksIn(await MailToAsync(host, "owner@example.com", ticketId), "/support/verify/"));
        var first = (await PostLinkAsync(client, verifyUrl)).Location!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, first)).Status);

        await AgentApi.SendAsync(client, HttpMethod.Post, $"/api/tickets/{ticketId}/status-links/revoke", new { agent = "Mei" });
        var again = await PostLinkAsync(client, verifyUrl);

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, first)).Status);
        Assert.Equal(HttpStatusCode.SeeOther, again.Status);
        Assert.NotEqual(first, again.Location);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, again.Location!)).Status);
    }
}
