using System.Net;
using System.Net.Http.Json;
using Intake.Tests.Integration;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: the web form's <c>name</c> and <c>subject</c> are whatever a stranger types (up to 200 characters each). The
/// name was put in the To header of our real, DKIM-signed mail as the recipient's display name, and the subject in the
/// subject of an agent's reply ("Re: [T-…] Security team: your account is frozen, call …"), so either would show in the
/// victim's inbox as if we had written it. A name is never shown in mail we send; a subject only once the contact has
/// proved the address (a mail of theirs, or the verify link), since then it is their own.
/// </summary>
public sealed class MailDisplayNameTests(AzuriteFixture azurite)
{
    private const string Lure = "URGENT Exchange Security: account frozen, verify at evil.example";

    [Fact]
    public async Task The_name_typed_into_the_form_appears_nowhere_in_the_acknowledgement()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsJsonAsync(
            new Uri("/api/intake/web", UriKind.Relative),
            new { message = "my withdrawal is stuck", email = "victim@example.com", name = Lure },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement");

        var to = mail.Json.GetProperty("personalizations")[0].GetProperty("to")[0];
        Assert.Equal("victim@example.com", to.GetProperty("email").GetString());
        Assert.False(to.TryGetProperty("name", out var name) && !string.IsNullOrEmpty(name.GetString()), $"the To header carries the name {name}");
        Assert.DoesNotContain("evil.example", mail.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_subject_typed_into_the_form_is_not_the_subject_of_an_agents_reply_while_the_address_is_unproven()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Agents.AgentApi.Settings());
        using var client = host.CreateClient();
        var ticket = await SubmitAsync(client, "victim@example.com", Lure);
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement");

        var reply = await Agents.AgentApi.ReplyAsync(client, ticket.TicketId, "We are looking into your withdrawal.");
        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        var mail = await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 1 ? host.SendGrid.Mails[1] : null), "the reply");

        Assert.Contains($"[{ticket.Reference}]", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", mail.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("evil.example", mail.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_customers_own_subject_is_kept_in_the_reply_once_the_address_is_proven()
    {
        var ticket = new Intake.Tickets.Ticket
        {
            Id = "01M84X50NJRKSK0AD1N8XAWHTP",
            Reference = "T-XAWHTP",
            Channel = "email",
            Contact = new Intake.Tickets.Contact("email", "lin@customer.example", Email: "lin@customer.example"),
            Language = "en",
            Category = Intake.Triage.TicketCategory.Withdrawal,
            Urgency = Intake.Triage.Urgency.High,
            Subject = "Withdrawal pending",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal("Re: [T-XAWHTP] Withdrawal pending", Intake.Agents.AgentReplies.Subject(ticket));
        Assert.DoesNotContain("Withdrawal pending", Intake.Agents.AgentReplies.Subject(ticket with { Contact = ticket.Contact with { Verified = false } }), StringComparison.Ordinal);
    }

    private static async Task<Intake.Channels.WebForm.WebFormAccepted> SubmitAsync(HttpClient client, string email, string subject)
    {
        using var response = await client.PostAsJsonAsync(
            new Uri("/api/intake/web", UriKind.Relative), new { message = "my withdrawal is stuck", email, subject }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Intake.Channels.WebForm.WebFormAccepted>(TestContext.Current.CancellationToken))!;
    }
}
