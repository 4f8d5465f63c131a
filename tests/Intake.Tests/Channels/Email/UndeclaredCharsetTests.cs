using System.Net;
using System.Text;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Channels.Email;

/// <summary>
/// 8-bit text that declares no charset, as older Chinese, Japanese, Korean and Russian clients send it: a body without a charset
/// parameter and raw bytes in the Subject. Through the real endpoint, stored as the text it is and triaged in its language.
/// </summary>
public sealed class UndeclaredCharsetTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GB2312", "我的提现申请已经三个小时了还没有到账，请帮忙查一下", "zh-Hans")]
    [InlineData("windows-1251", "Мой вывод средств завис уже шесть часов, помогите пожалуйста разобраться", "ru")]
    [InlineData("UTF-8", "出金がまだ届いていません。確認してください。", "ja")]
    [InlineData("EUC-KR", "출금 신청한 지 세 시간이 지났는데 아직 입금되지 않았습니다. 확인 부탁드립니다", "ko")]
    [InlineData("Big5", "我的提領申請已經三個小時了還沒有到帳，請幫忙查一下", "zh-Hant")]
    public async Task A_raw_body_without_a_declared_charset_is_read_in_the_charset_it_is(string charset, string text, string language)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var ticket = await PostAsync(host, client, Mime("Subject: Withdrawal", "Content-Type: text/plain", Charset(charset).GetBytes(text), $"body-{charset}"));

        Assert.Equal(text, Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
        Assert.Equal(language, ticket.Language);
    }

    [Theory]
    [InlineData("Shift_JIS", "出金について", "出金がまだ届いていません。確認してください。", "ja")]
    [InlineData("GB2312", "提现问题", "我的提现申请已经三个小时了还没有到账", "zh-Hans")]
    [InlineData("EUC-KR", "출금 문의", "출금 신청한 지 세 시간이 지났는데 아직 입금되지 않았습니다", "ko")]
    [InlineData("Big5", "提領問題", "我的提領申請已經三個小時了還沒有到帳", "zh-Hant")]
    public async Task Raw_8_bit_bytes_in_the_subject_and_sender_name_are_read_in_the_mails_charset(string charset, string subject, string text, string language)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var encoding = Charset(charset);
        var subjectHeader = Encoding.ASCII.GetBytes("Subject: ").Concat(encoding.GetBytes(subject)).ToArray();

        var ticket = await PostAsync(host, client, Mime(subjectHeader, $"Content-Type: text/plain; charset={charset}", encoding.GetBytes(text), $"subject-{charset}", fromName: encoding.GetBytes("王")));

        Assert.Equal(subject, ticket.Subject);
        Assert.Equal("王", ticket.Contact.Name);
        Assert.Equal(language, ticket.Language);
    }

    [Theory]
    [InlineData("Shift_JIS", "出金について")]
    [InlineData("GB2312", "提现问题")]
    [InlineData("EUC-KR", "출금 문의")]
    [InlineData("Big5", "提領問題")]
    public async Task A_raw_8_bit_subject_is_read_right_even_when_the_body_is_utf_8(string charset, string subject)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var subjectHeader = Encoding.ASCII.GetBytes("Subject: ").Concat(Charset(charset).GetBytes(subject)).ToArray();

        var ticket = await PostAsync(host, client, Mime(subjectHeader, "Content-Type: text/plain; charset=utf-8", Encoding.UTF8.GetBytes("Please check my withdrawal."), $"subject-only-{charset}"));

        Assert.Equal(subject, ticket.Subject);
    }

    [Fact]
    public async Task A_parsed_field_without_a_charset_that_is_not_utf_8_is_detected()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        const string text = "我的提现申请已经三个小时了还没有到账，请帮忙查一下";

        // As SendGrid posts a mail whose client declared nothing: charsets names no charset for the text.
        using var content = new MultipartFormDataContent("----sendgrid-parse-boundary-undeclared");
        content.Add(new ByteArrayContent("Wang <wang@customer.example>"u8.ToArray()), "from");
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Support)), "to");
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("提现问题")), "subject");
        content.Add(new ByteArrayContent(Charset("GB2312").GetBytes(text)), "text");
        content.Add(new ByteArrayContent("""{"from":"UTF-8","to":"UTF-8","subject":"UTF-8"}"""u8.ToArray()), "charsets");
        content.Add(new ByteArrayContent("""{"to":["support@exchange.example"],"from":"wang@customer.example"}"""u8.ToArray()), "envelope");
        using var response = await client.PostAsync(Endpoint, content, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ticket = await TicketAsync(host, LenientSenderTests.Field(await response.Content.ReadAsStringAsync(Cancellation), "ticketId"));
        Assert.Equal(text, Assert.Single(await InboundAsync(host, ticket.Id)).Text);
        Assert.Equal("提现问题", ticket.Subject);
        Assert.Equal("zh-Hans", ticket.Language);
    }

    private static byte[] Mime(string subjectHeader, string contentType, byte[] body, string id) => Mime(Encoding.ASCII.GetBytes(subjectHeader), contentType, body, id);

    private static byte[] Mime(byte[] subjectHeader, string contentType, byte[] body, string id, byte[]? fromName = null)
    {
        using var mime = new MemoryStream();
        mime.Write(Encoding.ASCII.GetBytes("From: "));
        mime.Write(fromName ?? "Wang"u8.ToArray());
        mime.Write(Encoding.ASCII.GetBytes($" <wang@customer.example>\r\nTo: {Support}\r\n"));
        mime.Write(subjectHeader);
        mime.Write(Encoding.ASCII.GetBytes($"\r\nMessage-ID: <{id}@customer.example>\r\nMIME-Version: 1.0\r\n{contentType}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"));
        mime.Write(body);
        mime.Write("\r\n"u8);
        return mime.ToArray();
    }

    private static async Task<Ticket> PostAsync(IntakeHost host, HttpClient client, byte[] mime)
    {
        using var content = Raw(mime, envelopeFrom: "wang@customer.example", dkim: "{@customer.example : pass}");
        using var response = await client.PostAsync(Endpoint, content, Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return await TicketAsync(host, LenientSenderTests.Field(body, "ticketId"));
    }

    private static async Task<Ticket> TicketAsync(IntakeHost host, string id) =>
        (await host.Services.GetRequiredService<TicketStore>().GetAsync(id, Cancellation))?.Ticket ?? throw new InvalidOperationException($"No ticket {id}.");

    private static async Task<List<TicketMessage>> InboundAsync(IntakeHost host, string ticketId) =>
        [.. (await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticketId, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound)];
}
