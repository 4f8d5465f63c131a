using Intake.Messaging;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Messaging;

public class AcknowledgementTests
{
    private static Ticket Ticket(string language, TicketCategory category = TicketCategory.Withdrawal, IReadOnlyDictionary<string, int>? redactions = null) => new()
    {
        Id = "01JT0000000000000000000000",
        Reference = "T-ABC234",
        Channel = "web",
        Contact = new Contact("web", "c1", "Alice", "alice@example.com"),
        Language = language,
        Category = category,
        Urgency = Urgency.High,
        Redactions = redactions ?? new Dictionary<string, int>(),
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [InlineData("en", "We have received your message", "1 hour", "never ask")]
    [InlineData("zh-Hans", "我们已收到您的消息", "1 小时", "绝不会")]
    [InlineData("zh-Hant", "我們已收到您的訊息", "1 小時", "絕不會")]
    [InlineData("ru", "Мы получили ваше сообщение", "в течение 1 часа", "никогда не попросят")]
    [InlineData("es", "Hemos recibido tu mensaje", "1 hora", "nunca")]
    [InlineData("pt", "Recebemos sua mensagem", "1 hora", "nunca")]
    [InlineData("tr", "Mesajınızı aldık", "1 saat", "asla")]
    [InlineData("vi", "Chúng tôi đã nhận được tin nhắn của bạn", "1 giờ", "không bao giờ")]
    [InlineData("ko", "문의가 접수되었습니다", "1시간 이내에", "절대 요청하지 않습니다")]
    [InlineData("ja", "お問い合わせを受け付けました", "1時間以内に", "決してありません")]
    [InlineData("und", "We have received your message", "1 hour", "never ask")]
    public void Speaks_the_customers_language_with_reference_and_promised_time(string language, string subject, string within, string warning)
    {
        var (actualSubject, text) = Acknowledgement.Compose(Ticket(language), TimeSpan.FromHours(1), statusUrl: null);

        Assert.Equal($"[T-ABC234] {subject}", actualSubject);
        Assert.Contains("T-ABC234", text, StringComparison.Ordinal);
        Assert.Contains(within, text, StringComparison.Ordinal);
        Assert.Contains(warning, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "confirm your email address with this link:", "If you did not write to us, you can ignore this email.")]
    [InlineData("zh-Hans", "请通过以下链接确认您的电子邮箱：", "如果您没有联系过我们，请忽略此邮件。")]
    [InlineData("zh-Hant", "請透過以下連結確認您的電子郵件地址：", "如果您沒有聯絡過我們，請忽略此郵件。")]
    public void An_unverified_contact_gets_the_link_that_proves_the_address_instead_of_the_status_page(string language, string intro, string notYou)
    {
        var (_, text) = Acknowledgement.Compose(Ticket(language), TimeSpan.FromHours(1), statusUrl: null, "email", verifyUrl: "https://help.example/support/verify/T-ABC234?token=1.x");

        Assert.Contains(intro + "\nhttps://help.example/support/verify/T-ABC234?token=1.x\n" + notYou, text, StringComparison.Ordinal);
        Assert.DoesNotContain("/support/status/", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tells_a_customer_who_exposed_a_recovery_phrase_to_move_funds_now()
    {
        var (_, text) = Acknowledgement.Compose(
            Ticket("en", TicketCategory.WalletWeb3, new Dictionary<string, int> { ["mnemonic"] = 1, ["password"] = 1 }), TimeSpan.FromMinutes(15), null);

        Assert.Contains("move them to a new wallet", text, StringComparison.Ordinal);
        Assert.Contains("change that password now", text, StringComparison.Ordinal);
        Assert.Contains("15 minutes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tells_a_customer_with_a_security_incident_to_freeze_the_account()
    {
        var (_, text) = Acknowledgement.Compose(Ticket("zh-Hans", TicketCategory.Security), TimeSpan.FromMinutes(15), null);

        Assert.Contains("冻结账户", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "email", "Please keep T-")]
    [InlineData("en", "telegram", "just write here")]
    [InlineData("zh-Hans", "email", "回复时请在主题中保留 T-")]
    [InlineData("zh-Hans", "whatsapp", "直接在此发送消息")]
    [InlineData("zh-Hant", "x", "直接在此傳送訊息")]
    public void Asks_to_keep_the_reference_in_the_subject_only_by_email(string language, string channel, string expected)
    {
        var (_, text) = Acknowledgement.Compose(Ticket(language), TimeSpan.FromHours(1), null, channel);

        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Equal(channel == "email", text.Contains("subject", StringComparison.Ordinal) || text.Contains("主题", StringComparison.Ordinal) || text.Contains("主旨", StringComparison.Ordinal));
    }

    [Fact]
    public void Holds_no_link_but_the_status_page()
    {
        var (_, plain) = Acknowledgement.Compose(Ticket("en"), TimeSpan.FromHours(4), null);
        var (_, linked) = Acknowledgement.Compose(Ticket("en"), TimeSpan.FromHours(4), "https://support.example.com/support/status/T-ABC234?token=x");

        Assert.DoesNotContain("http", plain, StringComparison.Ordinal);
        Assert.Single(linked.Split(' ', '\n'), word => word.StartsWith("http", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(15, "15 minutes")]
    [InlineData(60 * 24, "24 hours")]
    [InlineData(60 * 72, "3 days")]
    [InlineData(60 * 24 * 7, "7 days")]
    public void States_the_promised_time_plainly(int minutes, string expected)
    {
        var (_, text) = Acknowledgement.Compose(Ticket("en"), TimeSpan.FromMinutes(minutes), null);

        Assert.Contains($"within {expected}.", text, StringComparison.Ordinal);
    }
}
