using System.Net;
using System.Text;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Channels.Email;

/// <summary>
/// Mail whose labels are wrong or missing, as real gateways and clients send it, through the real endpoint: a charset
/// that cannot be right for the bytes, text before the headers, a mail of nothing but a body. Read as what it is, never refused.
/// </summary>
public sealed class MislabelledMailTests(AzuriteFixture azurite)
{
    private const string Chinese = "我的提现申请已经三个小时了还没有到账，请帮忙查一下";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GB2312", "iso-8859-1", "提现问题", Chinese, "zh-Hans")]
    [InlineData("UTF-8", "iso-8859-1", "Вывод средств", "Мой вывод средств завис уже шесть часов, помогите пожалуйста", "ru")]
    [InlineData("Big5", "windows-1252", "提領問題", "我的提領申請已經三個小時了還沒有到帳，請幫忙查一下", "zh-Hant")]
    [InlineData("iso-8859-1", "iso-8859-1", "Retrait bloqué", "Bonjour, je n'ai pas reçu mon retrait depuis hier. Merci de vérifier, Hélène", null)]
    [InlineData("iso-8859-1", "iso-8859-1", "Auszahlung", "Grüße, meine Auszahlung ist noch nicht angekommen. Können Sie das prüfen? Jürgen", null)]
    public async Task A_parsed_field_labelled_latin_1_is_read_in_the_charset_its_bytes_are(string bytesIn, string labelled, string subject, string text, string? language)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var charsets = new Dictionary<string, string> { ["to"] = "UTF-8", ["from"] = "UTF-8", ["subject"] = labelled, ["text"] = labelled };

        var ticket = await PostAsync(host, client, Parsed(
            text, subject, messageId: $"<labelled-{bytesIn}-{text.Length}@customer.example>", charsets: charsets, bytesIn: new() { ["subject"] = bytesIn, ["text"] = bytesIn }));

        Assert.Equal(subject, ticket.Subject);
        Assert.Equal(text, Assert.Single(await InboundAsync(host, ticket.Id)).Text);
        if (language is not null)
        {
            Assert.Equal(language, ticket.Language);
        }
    }

    [Theory]
    [InlineData("us-ascii", "UTF-8", "My withdrawal of 0.5 BTC → still pending, fee ≈ 0.0001")]
    [InlineData(null, "UTF-8", "My withdrawal of 500 € is still pending since Monday")]
    [InlineData("X-UNKNOWN", "UTF-8", "Мой вывод средств завис уже шесть часов")]
    [InlineData("iso-8859-1", "GB2312", Chinese)]
    [InlineData("iso-8859-1", "iso-8859-1", "Bonjour, je n'ai pas reçu mon retrait. Merci, Hélène")]
    public async Task A_raw_text_part_is_read_in_the_charset_its_bytes_are_whatever_it_declares(string? declared, string bytesIn, string text)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var contentType = declared is null ? "text/plain" : $"text/plain; charset={declared}";
        var mime = Encoding.ASCII.GetBytes($"From: Wang <wang@customer.example>\r\nTo: {Support}\r\nSubject: Withdrawal\r\nMessage-ID: <part-{declared}-{bytesIn}@customer.example>\r\n"
            + $"MIME-Version: 1.0\r\nContent-Type: {contentType}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").Concat(Charset(bytesIn).GetBytes(text + "\r\n")).ToArray();

        var ticket = await PostAsync(host, client, Raw(mime, envelopeFrom: "wang@customer.example"));

        Assert.Equal(text, Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
    }

    [Theory]
    [InlineData("\r\n\r\n")]
    [InlineData("      \r\n")]
    [InlineData(" ")]
    [InlineData("From wang@customer.example Mon Nov 23 10:00:00 2026\r\n")]
    [InlineData(">From wang@customer.example Mon Nov 23 10:00:00 2026\r\n")]
    [InlineData("A note a relay left without a field name\r\n")]
    public async Task A_mail_after_blank_lines_white_space_an_mbox_from_line_or_a_stray_line_is_read(string before)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var ticket = await PostAsync(host, client, Raw(before + $"""
            From: Wang <wang@customer.example>
            To: {Support}
            Subject: Withdrawal stuck
            Message-ID: <lead-{before.Length}@customer.example>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            My withdrawal of 500 USDT has been pending for 6 hours.
            """, envelopeFrom: null));

        Assert.Equal("wang@customer.example", ticket.Contact.Email);
        Assert.Equal("Withdrawal stuck", ticket.Subject);
    }

    [Theory]
    [InlineData("text/plain; charset=utf-7")]
    [InlineData("text/plain; charset=\"UTF-7\"")]
    public async Task A_mail_in_utf_7_which_dotnet_no_longer_decodes_by_name_is_read_not_answered_500(string contentType)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        // Outlook 2000 sent UTF-7; .NET's GetEncoding refuses it (NotSupportedException, not ArgumentException).
        var ticket = await PostAsync(host, client, Raw($"""
            From: Doug <doug@customer.example>
            To: {Support}
            Subject: Withdrawal stuck
            Message-ID: <utf7-{contentType.Length}@customer.example>
            MIME-Version: 1.0
            Content-Type: {contentType}
            Content-Transfer-Encoding: 7bit

            My withdrawal of 500 USDT has been pending for 6 hours, fee +AKM-5.
            """, envelopeFrom: null));

        Assert.Contains("My withdrawal of 500 USDT has been pending for 6 hours, fee £5.", Assert.Single(await InboundAsync(host, ticket.Id)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mail_with_old_mac_line_ends_cr_alone_is_read_line_by_line()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var mime = Encoding.UTF8.GetBytes(string.Join(
            '\r',
            "From: Wang <wang@customer.example>",
            "To: " + Support,
            "Subject: Withdrawal stuck",
            "Message-ID: <cr-only@customer.example>",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "My withdrawal of 500 USDT has been pending for 6 hours.",
            ""));

        var ticket = await PostAsync(host, client, Raw(mime, envelopeFrom: null));

        Assert.Equal("wang@customer.example", ticket.Contact.Email);
        Assert.Equal("Withdrawal stuck", ticket.Subject);
        Assert.Equal("My withdrawal of 500 USDT has been pending for 6 hours.", Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
    }

    [Fact]
    public async Task Eight_bit_text_under_a_utf_7_label_is_read_as_what_it_is_not_answered_500()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var gb = Charset("GB2312");

        // UTF-7 is 7-bit: 8-bit bytes under its label (a raw subject, a body) are some other charset.
        var mime = Encoding.ASCII.GetBytes("From: Wang <wang@customer.example>\r\nTo: " + Support + "\r\nSubject: ")
            .Concat(gb.GetBytes("提现问题"))
            .Concat(Encoding.ASCII.GetBytes("\r\nMessage-ID: <utf7-8bit@customer.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-7\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"))
            .Concat(gb.GetBytes("我的提现申请已经三个小时了还没有到账\r\n"))
            .ToArray();

        var ticket = await PostAsync(host, client, Raw(mime, envelopeFrom: null));

        Assert.Equal("提现问题", ticket.Subject);
        Assert.Equal("我的提现申请已经三个小时了还没有到账", Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
    }

    [Fact]
    public async Task A_multipart_whose_boundary_never_comes_keeps_its_text()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var ticket = await PostAsync(host, client, Raw($"""
            From: Wang <wang@customer.example>
            To: {Support}
            Subject: Withdrawal stuck
            Message-ID: <no-boundary-1@customer.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="never-comes"

            My withdrawal of 500 USDT has been pending for 6 hours.
            """, envelopeFrom: null));

        Assert.Equal("My withdrawal of 500 USDT has been pending for 6 hours.", Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
    }

    [Fact]
    public async Task A_mail_with_old_mac_line_ends_is_read()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var mime = $"From: Wang <wang@customer.example>\rTo: {Support}\rSubject: Withdrawal stuck\rMessage-ID: <cr-1@customer.example>\r\rMy withdrawal of 500 USDT has been pending for 6 hours.\r";

        var ticket = await PostAsync(host, client, Raw(Encoding.ASCII.GetBytes(mime), envelopeFrom: null));

        Assert.Equal("Withdrawal stuck", ticket.Subject);
        Assert.Equal("My withdrawal of 500 USDT has been pending for 6 hours.", Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
    }

    [Fact]
    public async Task A_mail_of_nothing_but_a_body_and_its_type_is_kept_as_a_flagged_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var ticket = await PostAsync(host, client, Raw("""
            Content-Type: text/plain; charset=utf-8

            My withdrawal of 500 USDT has been pending for 6 hours.
            """, envelopeFrom: null));

        Assert.Contains(ChannelFlags.NoSenderAddress, ticket.Flags);
        Assert.Equal("My withdrawal of 500 USDT has been pending for 6 hours.", Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
    }

    [Fact]
    public async Task A_read_receipt_is_kept_for_agents_flagged_as_automatic()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var ticket = await PostAsync(host, client, Raw($"""
            From: Wang <wang@customer.example>
            To: {Support}
            Subject: Read: Your ticket
            Message-ID: <receipt-1@customer.example>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"

            --mdn
            Content-Type: text/plain; charset=utf-8

            Your message was displayed on the recipient's screen.
            --mdn
            Content-Type: message/disposition-notification

            Final-Recipient: rfc822; wang@customer.example
            Disposition: manual-action/MDN-sent-manually; displayed
            --mdn--
            """, envelopeFrom: "wang@customer.example"));

        Assert.Contains(ChannelFlags.AutoSubmitted, ticket.Flags);
    }

    private static async Task<Ticket> PostAsync(IntakeHost host, HttpClient client, HttpContent content)
    {
        using (content)
        {
            using var response = await client.PostAsync(Endpoint, content, Cancellation);
            var body = await response.Content.ReadAsStringAsync(Cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            var id = LenientSenderTests.Field(body, "ticketId");
            return (await host.Services.GetRequiredService<TicketStore>().GetAsync(id, Cancellation))?.Ticket ?? throw new InvalidOperationException($"No ticket {id}.");
        }
    }

    private static async Task<List<TicketMessage>> InboundAsync(IntakeHost host, string ticketId) =>
        [.. (await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticketId, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound)];
}
