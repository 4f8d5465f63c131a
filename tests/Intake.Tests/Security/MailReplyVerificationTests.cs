using System.Net;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;
using static Intake.Tests.Security.WebFormSecurityHelpers;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: someone types a victim's address into the web form and keeps the status link; if the victim then answers our
/// acknowledgement by mail, the ticket counts as the victim's and the submitter's link would show every reply meant for
/// the victim. And the reverse: a forged mail "from" the address must not prove it. Control: a mail reply proves the
/// address only when it joins (its sender is the contact and SPF or DKIM vouched for the domain); proving it rotates the
/// ticket's status nonce, so every link given out before stops working.
/// </summary>
public sealed class MailReplyVerificationTests(AzuriteFixture azurite)
{
    private const string Address = "lin@customer.example";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Both() => WebFormSecurityHelpers.Settings(Channels.Email.InboundParsePosts.Settings());

    [Fact]
    public async Task A_proven_mail_reply_verifies_the_web_contact_and_the_submitters_link_stops_working()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Both());
        using var web = NewClient(host);
        using var mail = Client(host);
        var (ticketId, reference, statusUrl) = await SubmitAsync(web, "My withdrawal of 0.5 ETH has been pending for a day.", Address);
        var acknowledgement = await MailToAsync(host, Address, ticketId);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(web, statusUrl)).Status);

        using var response = await mail.PostAsync(Endpoint, Parsed(
            "It is still pending, please check.",
            subject: $"Re: [{reference}] {acknowledgement.Subject}",
            from: $"Lin <{Address}>",
            messageId: "<reply-1@customer.example>",
            extraHeaders: [$"In-Reply-To: {acknowledgement.MailHeader("Message-ID")}"],
            envelopeFrom: Address), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = (await host.Services.GetRequiredService<TicketStore>().GetAsync(ticketId, Cancellation))!.Ticket;
        Assert.True(ticket.Contact.Verified);
        var inbound = (await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticketId, Cancellation)).Count(m => m.Direction == MessageDirection.Inbound);
        Assert.Equal(2, inbound);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(web, statusUrl)).Status);
    }

    [Theory]
    [InlineData("fail", "none")]
    [InlineData("pass", "{@attacker.example : pass}")]
    public async Task A_forged_mail_reply_neither_joins_nor_verifies(string spf, string dkim)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Both());
        using var web = NewClient(host);
        using var mail = Client(host);
        var (ticketId, reference, statusUrl) = await SubmitAsync(web, "My withdrawal of 0.5 ETH has been pending for a day.", Address);
        var acknowledgement = await MailToAsync(host, Address, ticketId);

        using var response = await mail.PostAsync(Endpoint, Parsed(
            "Please send it to my new address instead.",
            subject: $"Re: [{reference}] {acknowledgement.Subject}",
            from: $"Lin <{Address}>",
            messageId: "<forged-2@attacker.example>",
            extraHeaders: [$"In-Reply-To: {acknowledgement.MailHeader("Message-ID")}"],
            envelopeFrom: spf == "pass" ? "mallory@attacker.example" : Address,
            spf: spf,
            dkim: dkim), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var store = host.Services.GetRequiredService<TicketStore>();
        var ticket = (await store.GetAsync(ticketId, Cancellation))!.Ticket;
        Assert.False(ticket.Contact.Verified);
        Assert.Single(await store.GetMessagesAsync(ticketId, Cancellation), m => m.Direction == MessageDirection.Inbound);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(web, statusUrl)).Status);
    }
}
