using System.Net;
using Intake.Tests.Agents;
using Intake.Tests.Integration;
using static Intake.Tests.Security.WebFormSecurityHelpers;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a ticket's reference and its customer's email address are no secret (every mail we send prints the
/// reference; addresses leak and are guessed). Whoever posted both to the web form as a "follow-up" was answered with
/// the ticket's signed status link, and read every agent reply on it. A follow-up by reference may still be added to the
/// ticket, but its answer carries nothing of any ticket (no id, reference or link), and it is the very same answer
/// whether the pair matched or not, so that pairs cannot be probed either.
/// </summary>
public sealed class StatusLinkByReferenceTests(AzuriteFixture azurite)
{
    private const string Victim = "victim@example.com";
    private const string AgentText = "Your new withdrawal whitelist address 0xABC is confirmed.";
    private const string Probe = "I lost the link, please send it again";

    [Fact]
    public async Task A_json_follow_up_by_reference_and_email_gets_a_neutral_answer_the_same_whether_the_pair_matched_or_not()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var victim = NewClient(host);
        var (ticketId, reference, _) = await SubmitAsync(victim, "My withdrawal of 2 BTC is pending since yesterday", Victim);
        await ReplyAsync(victim, ticketId, AgentText);
        var unknown = reference == "T-ZZZZZZ" ? "T-YYYYYY" : "T-ZZZZZZ";

        using var attacker = NewClient(host);
        var matched = await PostJsonAsync(attacker, new { message = Probe, email = Victim, reference });
        var lowerCased = await PostJsonAsync(attacker, new { message = Probe, email = "Victim@Example.com", reference = reference.ToLowerInvariant() });
        var wrongEmail = await PostJsonAsync(attacker, new { message = Probe, email = "attacker@example.com", reference });
        var noSuchTicket = await PostJsonAsync(attacker, new { message = Probe, email = Victim, reference = unknown });

        foreach (var answer in new[] { matched, lowerCased, wrongEmail, noSuchTicket })
        {
            Assert.Equal(HttpStatusCode.Accepted, answer.Status);
            Assert.Null(answer.Location);
            Assert.DoesNotContain(reference, answer.Body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(ticketId, answer.Body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("token", answer.Body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("/support/status", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(AgentText, answer.Body, StringComparison.Ordinal);
        }

        Assert.Single(new[] { matched, lowerCased, wrongEmail, noSuchTicket }.Distinct());
        Assert.Contains("email", matched.Body, StringComparison.OrdinalIgnoreCase);

        // What matched is on the victim's ticket, marked as unproven; what did not opened tickets of its own, not linked to it.
        var ticket = await AgentApi.GetAsync(victim, ticketId);
        var added = ticket.Messages.Where(m => m.GetProperty("text").GetString() == Probe).ToList();
        Assert.Equal(2, added.Count);
        Assert.All(added, m => Assert.False(m.GetProperty("senderVerified").GetBoolean()));
        Assert.Equal(3, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task The_support_form_with_a_reference_and_email_shows_a_notice_and_never_leads_to_the_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var victim = NewClient(host);
        var (ticketId, reference, _) = await SubmitAsync(victim, "Someone logged into my account from another country", Victim);
        await ReplyAsync(victim, ticketId, AgentText);

        using var attacker = NewClient(host);
        var matched = await PostFormAsync(attacker, new() { ["message"] = Probe, ["email"] = Victim, ["reference"] = reference, ["language"] = "en" });
        var wrongEmail = await PostFormAsync(attacker, new() { ["message"] = Probe, ["email"] = "attacker@example.com", ["reference"] = reference, ["language"] = "en" });

        foreach (var answer in new[] { matched, wrongEmail })
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Null(answer.Location);
            Assert.Equal("text/html", answer.ContentType);
            Assert.DoesNotContain(reference, answer.Body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("token", answer.Body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("/support/status", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(AgentText, answer.Body, StringComparison.Ordinal);
        }

        Assert.Equal(matched, wrongEmail);
        Assert.Contains("email", matched.Body, StringComparison.OrdinalIgnoreCase);
    }
}
