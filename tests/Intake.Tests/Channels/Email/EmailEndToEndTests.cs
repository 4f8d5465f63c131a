using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Intake.Channels.Email;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Channels.Email;

/// <summary>Inbound email through the real host: Azurite for tables, queues and blobs, the real SendGrid client against a fake.</summary>
public sealed class EmailEndToEndTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_parsed_mail_becomes_a_ticket_acknowledged_by_email_in_the_same_thread()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var outcome = await PostAsync(client, Parsed(
            "My withdrawal of 500 USDT has been pending for 6 hours. Can you check?", subject: "Withdrawal stuck", messageId: "<CA+abc123@Mail.Customer.Example>"));

        Assert.Equal("created", outcome.Status);
        var ticket = await TicketAsync(host, outcome.TicketId);
        Assert.Equal("email", ticket.Channel);
        Assert.Equal(new Contact("email", "alice@customer.example", "Alice Chen", "alice@customer.example"), ticket.Contact);
        Assert.Equal(TicketCategory.Withdrawal, ticket.Category);
        Assert.Equal("Withdrawal stuck", ticket.Subject);
        var message = Assert.Single(await InboundAsync(host, ticket.Id));
        Assert.Equal("CA+abc123@mail.customer.example", message.ProviderId);
        Assert.Equal("pass", message.Details!.Metadata["spf"]);
        Assert.Equal("{@customer.example : pass}", message.Details.Metadata["dkim"]);
        Assert.Equal("0.1", message.Details.Metadata["spamScore"]);
        Assert.Equal("203.0.113.9", message.Details.Metadata["senderIp"]);

        var mail = await MailAsync(host);
        Assert.Equal("alice@customer.example", mail.ToEmail);
        Assert.Equal($"[{ticket.Reference}] We have received your message", mail.Subject);
        Assert.Equal("<CA+abc123@Mail.Customer.Example>", mail.MailHeader("In-Reply-To"));
        Assert.Equal("<CA+abc123@Mail.Customer.Example>", mail.MailHeader("References"));
        Assert.Equal("auto-replied", mail.MailHeader("Auto-Submitted"));
        Assert.Equal(ticket.Id, mail.CustomArg("ticketId"));
        Assert.StartsWith($"<{ticket.Id}.acknowledgement.", mail.MailHeader("Message-ID"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_raw_mime_mail_becomes_a_ticket_with_its_attachment_stored_and_is_acknowledged()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var pdf = "%PDF-1.4 statement"u8.ToArray();

        var outcome = await PostAsync(client, Raw($"""
            From: "Bob Li" <Bob.Li@Customer.Example>
            To: {Support}
            Subject: Deposit not credited
            Date: Mon, 23 Nov 2026 10:00:00 +0000
            Message-ID: <raw-1@customer.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain; charset=utf-8

            I deposited 0.5 ETH two hours ago and it is not credited yet.
            --alt
            Content-Type: text/html; charset=utf-8

            <p>I deposited 0.5 ETH two hours ago and it is <b>not credited</b> yet.</p>
            --alt--
            --outer
            Content-Type: application/pdf; name="statement.pdf"
            Content-Disposition: attachment; filename="statement.pdf"
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String(pdf)}
            --outer--
            """));

        Assert.Equal("created", outcome.Status);
        var ticket = await TicketAsync(host, outcome.TicketId);
        Assert.Equal(new Contact("email", "bob.li@customer.example", "Bob Li", "Bob.Li@Customer.Example"), ticket.Contact);
        Assert.Equal(TicketCategory.Deposit, ticket.Category);
        var message = Assert.Single(await InboundAsync(host, ticket.Id));
        Assert.Equal("I deposited 0.5 ETH two hours ago and it is not credited yet.", message.Text.Trim());
        var note = Assert.Single(message.Details!.Attachments);
        Assert.Equal(("statement.pdf", "application/pdf", pdf.Length, (string?)null), (note.Name, note.ContentType, (int)note.Size, note.Refused));
        Assert.Equal(pdf, await BlobAsync(host, ticket.Id, note.Blob!));

        var mail = await MailAsync(host);
        Assert.Equal("Bob.Li@Customer.Example", mail.ToEmail);
        Assert.Equal("<raw-1@customer.example>", mail.MailHeader("In-Reply-To"));
        Assert.Equal(ticket.Id, mail.CustomArg("ticketId"));
    }

    [Fact]
    public async Task An_html_only_mail_is_read_as_text_without_its_scripts_and_styles()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var outcome = await PostAsync(client, Parsed(
            "",
            subject: "Help",
            html: """
                <html><head><style>p { color: red }</style><title>x</title></head><body>
                <script>alert('withdrawal stolen hacked')</script>
                <p>I can&#39;t log in &amp; my 2FA device is lost.</p><div>Please help&nbsp;me.</div>
                </body></html>
                """));

        var ticket = await TicketAsync(host, outcome.TicketId);
        var message = Assert.Single(await InboundAsync(host, ticket.Id));
        Assert.Equal("I can't log in & my 2FA device is lost.\n\nPlease help me.", message.Text);
        Assert.Equal(TicketCategory.AccountAccess, ticket.Category);
        await MailAsync(host);
    }

    [Theory]
    [InlineData("GB2312", "提现申请已经三个小时了还没到账", "提现问题", "zh-Hans", "我们已收到您的消息")]
    [InlineData("Big5", "提領申請已經三個小時了還沒到帳", "提領問題", "zh-Hant", "我們已收到您的訊息")]
    public async Task Parsed_fields_are_decoded_with_the_charsets_the_post_names(string charset, string text, string subject, string language, string acknowledgementSubject)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var outcome = await PostAsync(client, Parsed(
            text,
            subject: subject,
            from: "客户 <kehu@customer.example>",
            charsets: new() { ["from"] = "UTF-8", ["subject"] = charset, ["text"] = charset, ["to"] = "UTF-8" }));

        var ticket = await TicketAsync(host, outcome.TicketId);
        Assert.Equal(subject, ticket.Subject);
        Assert.Equal(language, ticket.Language);
        Assert.Equal(TicketCategory.Withdrawal, ticket.Category);
        Assert.Equal(text, Assert.Single(await InboundAsync(host, ticket.Id)).Text);
        var mail = await MailAsync(host);
        Assert.Equal($"[{ticket.Reference}] {acknowledgementSubject}", mail.Subject);
    }

    [Theory]
    [InlineData("gb2312", "base64", "我的账户被冻结了，无法登录", "账户被冻结", "zh-Hans")]
    [InlineData("GBK", "quoted-printable", "充值的USDT一直没有到账，请帮忙查一下", "充值没到账", "zh-Hans")]
    [InlineData("Big5", "base64", "我的帳戶被凍結了，無法登入", "帳戶被凍結", "zh-Hant")]
    [InlineData("Shift_JIS", "base64", "出金がまだ届いていません。確認してください。", "出金について", "ja")]
    public async Task Raw_mime_in_chinese_and_japanese_charsets_is_decoded(string charset, string transferEncoding, string text, string subject, string language)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var encoding = Charset(charset);
        var bytes = encoding.GetBytes(text);
        var body = transferEncoding == "base64" ? Convert.ToBase64String(bytes) : QuotedPrintable(bytes);
        var encodedSubject = $"=?{charset}?B?{Convert.ToBase64String(encoding.GetBytes(subject))}?=";
        var encodedName = $"=?{charset}?B?{Convert.ToBase64String(encoding.GetBytes("王"))}?=";

        var outcome = await PostAsync(client, Raw($"""
            From: {encodedName} <wang@customer.example>
            To: {Support}
            Subject: {encodedSubject}
            Message-ID: <cjk-{charset}@customer.example>
            MIME-Version: 1.0
            Content-Type: text/plain; charset="{charset}"
            Content-Transfer-Encoding: {transferEncoding}

            {body}
            """));

        var ticket = await TicketAsync(host, outcome.TicketId);
        Assert.Equal(subject, ticket.Subject);
        Assert.Equal("王", ticket.Contact.Name);
        Assert.Equal(language, ticket.Language);
        Assert.Equal(text, Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
    }

    [Fact]
    public async Task A_reply_to_our_acknowledgement_joins_the_ticket_and_gets_no_second_acknowledgement()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var first = await PostAsync(client, Parsed("My deposit of 200 USDT on TRC20 is missing.", subject: "Deposit missing"));
        var acknowledgement = await MailAsync(host);

        var reply = await PostAsync(client, Parsed(
            "The transaction was sent from Binance an hour ago.",
            subject: "Re: " + acknowledgement.Subject,
            messageId: "<second-2@customer.example>",
            extraHeaders: [$"In-Reply-To: {acknowledgement.MailHeader("Message-ID")}", $"References: <first-1@customer.example> {acknowledgement.MailHeader("Message-ID")}"]));

        Assert.Equal(("joined", first.TicketId), (reply.Status, reply.TicketId));
        var messages = await Store(host).GetMessagesAsync(first.TicketId, Cancellation);
        Assert.Equal(2, messages.Count(m => m.Direction == MessageDirection.Inbound));
        Assert.Equal("<second-2@customer.example>", (await TicketAsync(host, first.TicketId)).ReplyToId);
        await Task.Delay(500, Cancellation);
        Assert.Single(host.SendGrid.Mails);
    }

    [Fact]
    public async Task A_reply_threads_by_references_to_the_customers_earlier_mail()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var first = await PostAsync(client, Parsed("How do I enable 2FA?", messageId: "<q-1@customer.example>"));

        var second = await PostAsync(client, Parsed(
            "Also, where do I find the backup codes?", subject: "Re: Question", messageId: "<q-2@customer.example>",
            extraHeaders: ["References: <unknown-0@elsewhere.example> <q-1@customer.example>"]));

        Assert.Equal(("joined", first.TicketId), (second.Status, second.TicketId));
    }

    [Fact]
    public async Task A_reference_in_the_subject_joins_the_ticket_of_its_contact_but_a_strangers_mail_makes_a_new_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var first = await PostAsync(client, Parsed("My withdrawal is pending for 5 hours.", subject: "Withdrawal"));

        var owner = await PostAsync(client, Parsed(
            "Here is the withdrawal id: W123456.", subject: $"More details [{first.Reference}]", from: "ALICE@customer.example", messageId: "<owner-2@customer.example>"));
        var stranger = await PostAsync(client, Parsed(
            "Please send the funds of this ticket to my address instead.", subject: $"Re: [{first.Reference}] urgent",
            from: "Mallory <mallory@attacker.example>", messageId: "<spoof-1@attacker.example>", envelopeFrom: "mallory@attacker.example"));

        Assert.Equal(("joined", first.TicketId), (owner.Status, owner.TicketId));
        Assert.Equal("created", stranger.Status);
        Assert.NotEqual(first.TicketId, stranger.TicketId);
        Assert.Equal(2, (await Store(host).GetMessagesAsync(first.TicketId, Cancellation)).Count(m => m.Direction == MessageDirection.Inbound));
        Assert.Equal("mallory@attacker.example", (await TicketAsync(host, stranger.TicketId)).Contact.Email);
    }

    [Theory]
    [InlineData("<retry-1@customer.example>")]
    [InlineData(null)]
    public async Task The_same_mail_delivered_again_makes_one_ticket_and_one_acknowledgement(string? messageId)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var first = await PostAsync(client, Parsed("My withdrawal is stuck.", messageId: messageId, attachments: [new("tx.png", "image/png", [137, 80, 78, 71])]));
        var second = await PostAsync(client, Parsed("My withdrawal is stuck.", messageId: messageId, attachments: [new("tx.png", "image/png", [137, 80, 78, 71])]));

        Assert.Equal(("created", "duplicate"), (first.Status, second.Status));
        Assert.Equal(first.TicketId, second.TicketId);
        Assert.Equal(1, await host.CountTicketsAsync());
        await MailAsync(host);
        await Task.Delay(500, Cancellation);
        Assert.Single(host.SendGrid.Mails);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied", null, "auto_submitted")]
    [InlineData("X-Autoreply: yes", null, "auto_submitted")]
    [InlineData("Precedence: bulk", null, "bulk_mail")]
    [InlineData("List-Id: <news.customer.example>", null, "bulk_mail")]
    [InlineData("X-Mailer: ordinary", "", "auto_submitted")]
    [InlineData("X-Mailer: ordinary", "news-request@customer.example", "bulk_mail")]
    public async Task Automatic_and_list_mail_makes_a_flagged_ticket_and_no_acknowledgement(string header, string? envelopeFrom, string flag)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var automatic = await PostAsync(client, Parsed(
            "I am out of the office until Monday. My deposit question still stands.", subject: "Out of office", messageId: "<auto-1@customer.example>",
            extraHeaders: [header], envelopeFrom: envelopeFrom ?? "alice@customer.example"));
        var sentinel = await PostAsync(client, Parsed("How do I enable 2FA?", from: "other@customer.example", messageId: "<other-1@customer.example>"));

        Assert.Contains(flag, (await TicketAsync(host, automatic.TicketId)).Flags);
        var mail = await MailAsync(host);
        await Task.Delay(300, Cancellation);
        Assert.Equal("other@customer.example", Assert.Single(host.SendGrid.Mails).ToEmail);
        Assert.Equal(sentinel.TicketId, mail.CustomArg("ticketId"));
    }

    [Fact]
    public async Task A_bounce_of_our_acknowledgement_marks_it_bounced_and_makes_no_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var first = await PostAsync(client, Parsed("My deposit is missing.", from: "gone@customer.example"));
        var acknowledgement = await MailAsync(host);
        await WaitForOutboundAsync(host, first.TicketId, OutboundStatus.Sent);

        var bounce = await PostAsync(client, Raw($"""
            From: Mail Delivery Subsystem <MAILER-DAEMON@mx.customer.example>
            To: {Support}
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <bounce-1@mx.customer.example>
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="rep"

            --rep
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mx.customer.example. Your message could not be delivered.
            --rep
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.customer.example

            Final-Recipient: rfc822; gone@customer.example
            Action: failed
            Status: 5.1.1
            --rep
            Content-Type: message/rfc822

            From: Support <{Support}>
            To: gone@customer.example
            Subject: {acknowledgement.Subject}
            Message-ID: {acknowledgement.MailHeader("Message-ID")}

            We have received your message.
            --rep--
            """, envelopeFrom: ""));

        Assert.Equal(("bounce_recorded", first.TicketId), (bounce.Status, bounce.TicketId));
        Assert.Equal(1, await host.CountTicketsAsync());
        var outbound = Assert.Single(await host.Services.GetRequiredService<OutboundLog>().ListAsync(first.TicketId, Cancellation));
        Assert.Equal(OutboundStatus.Bounced, outbound.Status);
        Assert.Single(host.SendGrid.Mails);
    }

    [Fact]
    public async Task A_bounce_in_parsed_mode_naming_our_message_in_the_returned_headers_is_recorded()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var first = await PostAsync(client, Parsed("My deposit is missing.", from: "gone@customer.example"));
        var acknowledgement = await MailAsync(host);
        await WaitForOutboundAsync(host, first.TicketId, OutboundStatus.Sent);

        var bounce = await PostAsync(client, Parsed(
            "Delivery to the following recipient failed permanently: gone@customer.example",
            subject: "Delivery Status Notification (Failure)",
            from: "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
            messageId: "<bounce-2@mx.google.com>",
            extraHeaders: ["Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\""],
            envelopeFrom: "",
            attachments: [new("headers.txt", "text/rfc822-headers", Encoding.UTF8.GetBytes($"From: {Support}\r\nMessage-ID:\r\n {acknowledgement.MailHeader("Message-ID")}\r\n"))]));

        Assert.Equal("bounce_recorded", bounce.Status);
        Assert.Equal(OutboundStatus.Bounced, Assert.Single(await host.Services.GetRequiredService<OutboundLog>().ListAsync(first.TicketId, Cancellation)).Status);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_bounce_that_names_nothing_of_ours_and_mail_from_our_own_domain_store_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var bounce = await PostAsync(client, Parsed(
            "Your message could not be delivered.", from: "MAILER-DAEMON@mx.elsewhere.example", messageId: "<b-3@mx.elsewhere.example>",
            extraHeaders: ["Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"", "In-Reply-To: <not-ours@elsewhere.example>"], envelopeFrom: ""));
        var own = await PostAsync(client, Parsed("Loop?", from: $"Support <{Support}>", envelopeFrom: Support));
        var colleague = await PostAsync(client, Parsed("Internal note", from: "ops@exchange.example", messageId: "<ops-1@exchange.example>"));

        Assert.Equal(["ignored", "ignored", "ignored"], [bounce.Status, own.Status, colleague.Status]);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_spam_score_over_the_threshold_flags_the_ticket_and_skips_the_acknowledgement()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["SendGrid:SpamThreshold"] = "4.5" }));
        using var client = Client(host);

        var spam = await PostAsync(client, Parsed("Cheap followers, best price!!!", from: "promo@spam.example", messageId: "<s-1@spam.example>", spamScore: "7.9"));
        await PostAsync(client, Parsed("How do I enable 2FA?", from: "other@customer.example", messageId: "<o-1@customer.example>", spamScore: "4.5"));

        var ticket = await TicketAsync(host, spam.TicketId);
        Assert.Contains(ChannelFlags.SpamSuspected, ticket.Flags);
        await MailAsync(host);
        await Task.Delay(300, Cancellation);
        Assert.Equal("other@customer.example", Assert.Single(host.SendGrid.Mails).ToEmail);
    }

    [Fact]
    public async Task An_oversize_attachment_is_refused_and_the_rest_of_the_mail_is_kept()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var big = new byte[(10 * 1024 * 1024) + 1];
        var small = "id,amount\n1,500 USDT\n"u8.ToArray();

        var outcome = await PostAsync(client, Parsed(
            "The withdrawal history is attached.",
            attachments: [new("screen recording.mp4", "video/mp4", big), new("history.csv", "text/csv", small)]));

        var message = Assert.Single(await InboundAsync(host, outcome.TicketId));
        Assert.Equal("The withdrawal history is attached.", message.Text);
        Assert.Collection(
            message.Details!.Attachments,
            refused => Assert.Equal(("screen recording.mp4", big.LongLength, "too_large", (string?)null), (refused.Name, refused.Size, refused.Refused, refused.Blob)),
            kept => Assert.Equal(("history.csv", (string?)null), (kept.Name, kept.Refused)));
        Assert.Equal(small, await BlobAsync(host, outcome.TicketId, message.Details.Attachments[1].Blob!));
        Assert.Single(await BlobNamesAsync(host, outcome.TicketId));
        await MailAsync(host);
    }

    [Fact]
    public async Task Executables_are_refused_by_name_or_content_noted_and_never_stored()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var outcome = await PostAsync(client, Parsed(
            "Your app crashes, see the attached files.",
            attachments: [new("invoice.pdf.exe", "application/octet-stream", [1, 2, 3]), new("report.pdf", "application/pdf", "MZ\u0090\0"u8.ToArray()), new("notes.txt", "text/plain", "ok"u8.ToArray())]));

        var notes = Assert.Single(await InboundAsync(host, outcome.TicketId)).Details!.Attachments;
        Assert.Equal(["executable", "executable", null], notes.Select(n => n.Refused));
        Assert.Equal([null, null], notes.Take(2).Select(n => n.Blob));
        Assert.Equal([$"{outcome.TicketId}/{notes[2].Blob}"], await BlobNamesAsync(host, outcome.TicketId));
    }

    [Fact]
    public async Task A_pasted_recovery_phrase_is_stored_only_as_redacted()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        const string Phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

        var outcome = await PostAsync(client, Parsed($"My wallet shows zero. My recovery phrase is {Phrase}. Please help.", subject: "Wallet empty"));

        var ticket = await TicketAsync(host, outcome.TicketId);
        var message = Assert.Single(await InboundAsync(host, ticket.Id));
        Assert.Contains("[REDACTED:mnemonic]", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("abandon", message.Text, StringComparison.Ordinal);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        var mail = await MailAsync(host);
        Assert.DoesNotContain("abandon", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quoted_history_is_kept_in_the_stored_body_but_not_triaged()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        const string Body = """
            How do I change the language of the app to Spanish?

            Thanks,
            Alice

            On Mon, 2 Nov 2026 at 09:14, Alice Chen <alice@customer.example> wrote:
            > My account was hacked and someone withdrew all my USDT!
            > Please freeze it now.
            """;

        var outcome = await PostAsync(client, Parsed(Body, subject: "Another question", messageId: "<calm-1@customer.example>"));

        var ticket = await TicketAsync(host, outcome.TicketId);
        Assert.NotEqual(Urgency.Urgent, ticket.Urgency);
        Assert.NotEqual(TicketCategory.Security, ticket.Category);
        var stored = Assert.Single(await InboundAsync(host, ticket.Id)).Text;
        Assert.Contains("My account was hacked", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overlong_subject_and_sender_name_are_kept_cut_rather_than_refused()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var subject = "Withdrawal " + new string('x', 100_000);
        var name = "Alice " + new string('y', 100_000);

        var outcome = await PostAsync(client, Parsed("My withdrawal is pending.", subject: subject, from: $"\"{name}\" <alice@customer.example>"));

        var ticket = await TicketAsync(host, outcome.TicketId);
        Assert.Equal(1_000, ticket.Subject!.Length);
        Assert.StartsWith("Withdrawal xxx", ticket.Subject, StringComparison.Ordinal);
        Assert.Equal(200, ticket.Contact.Name!.Length);
        await MailAsync(host);
    }

    private sealed record Outcome(string Status, string TicketId, string Reference);

    private static async Task<Outcome> PostAsync(HttpClient client, HttpContent content)
    {
        using (content)
        {
            using var response = await client.PostAsync(Endpoint, content, Cancellation);
            var body = await response.Content.ReadAsStringAsync(Cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return new Outcome(
                root.GetProperty("status").GetString()!,
                root.TryGetProperty("ticketId", out var id) ? id.GetString() ?? "" : "",
                root.TryGetProperty("reference", out var reference) ? reference.GetString() ?? "" : "");
        }
    }

    private static async Task<List<TicketMessage>> InboundAsync(IntakeHost host, string ticketId) =>
        [.. (await Store(host).GetMessagesAsync(ticketId, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound)];

    private static TicketStore Store(IntakeHost host) => host.Services.GetRequiredService<TicketStore>();

    private static async Task<Ticket> TicketAsync(IntakeHost host, string id) =>
        (await Store(host).GetAsync(id, Cancellation))?.Ticket ?? throw new InvalidOperationException($"No ticket {id}.");

    private static Task<SendGridRequest> MailAsync(IntakeHost host) =>
        IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "an email to the customer");

    private static Task<OutboundRecord> WaitForOutboundAsync(IntakeHost host, string ticketId, OutboundStatus status) =>
        IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticketId, Cancellation)).FirstOrDefault(o => o.Status == status), $"the outbound record {status}");

    private static async Task<byte[]> BlobAsync(IntakeHost host, string ticketId, string blob)
    {
        var content = await host.Services.GetRequiredService<AttachmentStore>().Container.GetBlobClient($"{ticketId}/{blob}").DownloadContentAsync(Cancellation);
        return content.Value.Content.ToArray();
    }

    private static async Task<List<string>> BlobNamesAsync(IntakeHost host, string ticketId)
    {
        var names = new List<string>();
        await foreach (var item in host.Services.GetRequiredService<AttachmentStore>().Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, ticketId + "/", Cancellation))
        {
            names.Add(item.Name);
        }

        return names;
    }

    private static string QuotedPrintable(byte[] bytes)
    {
        var text = new StringBuilder();
        var line = 0;
        foreach (var b in bytes)
        {
            var piece = b is >= 33 and <= 126 and not (byte)'=' ? ((char)b).ToString() : $"={b:X2}";
            if (line + piece.Length > 72)
            {
                text.Append("=\r\n");
                line = 0;
            }

            text.Append(piece);
            line += piece.Length;
        }

        return text.ToString();
    }
}
