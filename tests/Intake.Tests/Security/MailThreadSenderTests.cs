using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;
using static Intake.Tests.Security.MailIntakeProbe;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: anyone can put a victim's address in <c>From</c>, a ticket's <c>[T-XXXXXX]</c> in the subject, or a Message-ID
/// of the thread in <c>In-Reply-To</c>/<c>References</c> (both are printed in every mail we send). Joined to the
/// victim's ticket, the forged mail would speak for the victim ("send the funds to this address instead") and steer
/// what agents do. A mail joins a ticket only when its sender is the ticket's contact and SendGrid's SPF (for an
/// envelope sender of the same domain) or DKIM (for the From domain or a parent of it) passed; anything else opens a
/// new ticket linked to the old one and flagged <c>unverified_sender</c>, and tells its sender nothing of the old one.
/// </summary>
public sealed class MailThreadSenderTests(AzuriteFixture azurite)
{
    private const string Victim = "Alice Chen <alice@customer.example>";

    public static TheoryData<string, string?, string?, string?> Forgeries() => new()
    {
        // From, envelope sender, SPF, DKIM: what a forger can make SendGrid report
        { Victim, "mallory@attacker.example", "pass", "{@attacker.example : pass}" },
        { Victim, "alice@customer.example", "fail", "none" },
        { Victim, "alice@customer.example", "softfail", "{@customer.example : fail}" },
        { Victim, null, "pass", null },
        { Victim, "bounce@customer.example.attacker.example", "pass", "{@customer.example.attacker.example : pass}" },
        { Victim, "alice@customer.example", "neutral", "{@example : pass}" },
        { Victim, "alice@sub.customer.example", "pass", "{@sub.customer.example : pass}" },
        { "Mallory <mallory@attacker.example>", "mallory@attacker.example", "pass", "{@attacker.example : pass}" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_reference_in_the_subject_from_an_unproven_sender_opens_a_new_linked_flagged_ticket(string from, string? envelope, string? spf, string? dkim)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var original = await PostAsync(client, Parsed("My withdrawal of 2 BTC is pending since this morning.", subject: "Withdrawal pending"));
        await MailToAsync(host, original.TicketId);

        var forged = await PostAsync(client, Parsed(
            "Please cancel my withdrawal and send the funds to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh instead.",
            subject: $"Re: [{original.Reference}] Withdrawal pending",
            from: from,
            messageId: "<forged-1@attacker.example>",
            envelopeFrom: envelope,
            spf: spf,
            dkim: dkim));

        var message = await AssertForgeryKeptApartAsync(host, original, forged);
        Assert.Equal(from == Victim ? "false" : "true", message.Details!.Metadata["senderVerified"]);
    }

    [Fact]
    public async Task In_reply_to_our_acknowledgement_from_a_forged_sender_opens_a_new_linked_flagged_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var original = await PostAsync(client, Parsed("My deposit of 200 USDT on TRC20 is missing.", subject: "Deposit missing"));
        var acknowledgement = await MailToAsync(host, original.TicketId);

        var forged = await PostAsync(client, Parsed(
            "Update: please send the refund to TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE.",
            subject: "Re: Deposit missing",
            messageId: "<forged-2@attacker.example>",
            extraHeaders: [$"In-Reply-To: {acknowledgement.MailHeader("Message-ID")}", $"References: <first-1@customer.example> {acknowledgement.MailHeader("Message-ID")}"],
            envelopeFrom: "mallory@attacker.example",
            spf: "pass",
            dkim: "{@attacker.example : pass}"));

        var message = await AssertForgeryKeptApartAsync(host, original, forged);
        Assert.Equal(("false", "none"), (message.Details!.Metadata["senderVerified"], message.Details.Metadata["senderVerifiedBy"]));
    }

    /// <summary>
    /// Raw mode without SendGrid's <c>envelope</c> field: the message's own <c>Return-Path</c> is whatever its sender wrote,
    /// so it must not stand in for the SMTP envelope that SPF judged (here: the attacker's own domain, which passed).
    /// </summary>
    [Fact]
    public async Task A_forged_return_path_in_a_raw_mail_does_not_stand_in_for_the_envelope_spf_judged()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var original = await PostAsync(client, Parsed("My withdrawal of 1 ETH is pending since yesterday.", subject: "Withdrawal pending"));
        await MailToAsync(host, original.TicketId);

        var forged = await PostAsync(client, Raw(
            $"""
            Return-Path: <alice@customer.example>
            From: Alice Chen <alice@customer.example>
            To: {Support}
            Subject: Re: [{original.Reference}] Withdrawal pending
            Message-ID: <forged-raw-1@attacker.example>
            Date: Mon, 23 Nov 2026 11:00:00 +0000
            Content-Type: text/plain; charset=utf-8

            Please cancel it and send the funds to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh instead.
            """,
            envelopeFrom: null,
            spf: "pass",
            dkim: "{@attacker.example : pass}"));

        var message = await AssertForgeryKeptApartAsync(host, original, forged);
        Assert.Equal("false", message.Details!.Metadata["senderVerified"]);
    }

    public static TheoryData<string, string?, string?, string?> GenuineReplies() => new()
    {
        { "alice@customer.example", "alice@customer.example", "pass", null },
        { "ALICE@Customer.Example", "alice@customer.example", "pass", "none" },
        { "alice@customer.example", "bounces+123@mailer.example", "softfail", "{@customer.example : pass}" },
        { "alice@customer.example", null, null, "{@mailer.example : pass, @customer.example : pass}" },
        { "alice@customer.example", "alice@customer.example", "Pass (mx.sendgrid.net: domain of customer.example designates 203.0.113.9 as permitted sender)", "{@customer.example:fail}" },
    };

    [Theory]
    [MemberData(nameof(GenuineReplies))]
    public async Task The_tickets_contact_with_spf_or_dkim_passing_for_their_domain_joins_the_ticket(string from, string? envelope, string? spf, string? dkim)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var original = await PostAsync(client, Parsed("My withdrawal of 2 BTC is pending since this morning.", subject: "Withdrawal pending"));
        var acknowledgement = await MailToAsync(host, original.TicketId);

        var byReference = await PostAsync(client, Parsed(
            "The withdrawal id is W123456.", subject: $"Re: [{original.Reference}] Withdrawal pending", from: from, messageId: "<reply-1@customer.example>",
            envelopeFrom: envelope, spf: spf, dkim: dkim));
        var byThread = await PostAsync(client, Parsed(
            "And the amount was 2 BTC.", subject: "Re: Withdrawal pending", from: from, messageId: "<reply-2@customer.example>",
            extraHeaders: [$"In-Reply-To: {acknowledgement.MailHeader("Message-ID")}"], envelopeFrom: envelope, spf: spf, dkim: dkim));

        Assert.Equal([("joined", original.TicketId), ("joined", original.TicketId)], [(byReference.Status, byReference.TicketId), (byThread.Status, byThread.TicketId)]);
        Assert.Equal(3, (await InboundAsync(host, original.TicketId)).Count);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_bounce_is_still_recognised_before_any_sender_check()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var original = await PostAsync(client, Parsed("My deposit is missing.", from: "gone@customer.example"));
        var acknowledgement = await MailToAsync(host, original.TicketId);
        await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(original.TicketId, TestContext.Current.CancellationToken)).FirstOrDefault(o => o.Status == OutboundStatus.Sent), "the sent acknowledgement");

        var bounce = await PostAsync(client, Parsed(
            "Delivery to the following recipient failed permanently: gone@customer.example",
            subject: "Delivery Status Notification (Failure)",
            from: "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
            messageId: "<bounce-9@mx.google.com>",
            extraHeaders: ["Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"", $"In-Reply-To: {acknowledgement.MailHeader("Message-ID")}"],
            envelopeFrom: "",
            spf: "none",
            dkim: "none"));

        Assert.Equal(("bounce_recorded", original.TicketId), (bounce.Status, bounce.TicketId));
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    private static async Task<TicketMessage> AssertForgeryKeptApartAsync(IntakeHost host, Outcome original, Outcome forged)
    {
        Assert.Equal("created", forged.Status);
        Assert.NotEqual(original.TicketId, forged.TicketId);
        Assert.Single(await InboundAsync(host, original.TicketId));
        var ticket = await TicketAsync(host, forged.TicketId);
        Assert.Equal(original.TicketId, ticket.LinkedTicketId);
        Assert.Contains("unverified_sender", ticket.Flags);
        var message = Assert.Single(await InboundAsync(host, ticket.Id));

        // What the forger may receive: an acknowledgement of their own ticket, nothing of the old one.
        var mail = await MailToAsync(host, ticket.Id);
        Assert.DoesNotContain(original.Reference, mail.Subject + mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(original.TicketId, mail.Body, StringComparison.Ordinal);
        return message;
    }
}
