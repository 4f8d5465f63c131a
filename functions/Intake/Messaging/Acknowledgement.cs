using System.Globalization;
using System.Text;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Messaging;

/// <summary>
/// The automatic first answer (DESIGN §7): the reference, the response time we commit to, what to do right now when
/// something is at stake, and the warning that support never asks for secrets. English, simplified and traditional
/// Chinese; other languages get English until they have their own text. No links but the status page, or, while the
/// contact's address is unproven, the link that proves it (the status page would show our replies to whoever typed
/// the address into the web form).
/// </summary>
public static class Acknowledgement
{
    /// <summary>
    /// The subject and text for a ticket answered on <paramref name="channel"/>: by email the customer is asked to keep
    /// the reference in the subject (it threads their reply); on a chat they simply write in the same chat. At most one
    /// of <paramref name="statusUrl"/> and <paramref name="verifyUrl"/> is given.
    /// </summary>
    public static (string Subject, string Text) Compose(Ticket ticket, TimeSpan firstResponse, string? statusUrl, string channel = ChannelNames.Email, string? verifyUrl = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var texts = TextsFor(ticket.Language);

        var text = new StringBuilder();
        text.Append(texts.Received(ticket.Reference)).Append('\n');
        text.Append(texts.ReplyWithin(Duration(firstResponse, texts))).Append("\n\n");

        var redacted = ticket.Redactions.Keys.ToHashSet(StringComparer.Ordinal);
        if (redacted.Contains("mnemonic") || redacted.Contains("private_key"))
        {
            text.Append(texts.MoveFunds).Append("\n\n");
        }

        if (redacted.Contains("password"))
        {
            text.Append(texts.ChangePassword).Append("\n\n");
        }

        if (redacted.Contains("api_secret"))
        {
            text.Append(texts.DeleteApiKey).Append("\n\n");
        }

        if (ticket.Category == TicketCategory.Security || ticket.Flags.Contains(TriageFlags.PhishingVictim))
        {
            text.Append(texts.Freeze).Append("\n\n");
        }

        text.Append(texts.NeverAsk).Append("\n\n");
        if (!string.IsNullOrEmpty(statusUrl))
        {
            text.Append(texts.Status).Append('\n').Append(statusUrl).Append("\n\n");
        }
        else if (!string.IsNullOrEmpty(verifyUrl))
        {
            text.Append(texts.Verify).Append('\n').Append(verifyUrl).Append('\n').Append(texts.NotYou).Append("\n\n");
        }

        text.Append(channel == ChannelNames.Email ? texts.KeepReference(ticket.Reference) : texts.WriteHere);
        return ($"[{ticket.Reference}] {texts.Subject}", text.ToString());
    }

    /// <summary>The acknowledgement's subject without the reference ("We have received your message"), in the ticket's language.</summary>
    public static string SubjectText(string language) => TextsFor(language).Subject;

    private static Texts TextsFor(string language) => language switch
    {
        "zh-Hans" => Texts.Simplified,
        "zh-Hant" => Texts.Traditional,
        _ => Texts.English,
    };

    private static string Duration(TimeSpan span, Texts texts)
    {
        var culture = CultureInfo.InvariantCulture;
        return span.TotalHours >= 48 && span.TotalDays == Math.Floor(span.TotalDays)
            ? texts.Days(((int)span.TotalDays).ToString(culture))
            : span.TotalMinutes >= 60
                ? texts.Hours(span.TotalHours.ToString("0.#", culture))
                : texts.Minutes(((int)Math.Ceiling(span.TotalMinutes)).ToString(culture));
    }

    private sealed record Texts(
        string Subject,
        Func<string, string> Received,
        Func<string, string> ReplyWithin,
        Func<string, string> Minutes,
        Func<string, string> Hours,
        Func<string, string> Days,
        string MoveFunds,
        string ChangePassword,
        string DeleteApiKey,
        string Freeze,
        string NeverAsk,
        string Status,
        string Verify,
        string NotYou,
        Func<string, string> KeepReference,
        string WriteHere)
    {
        public static Texts English { get; } = new(
            "We have received your message",
            r => $"We have received your message and opened ticket {r}.",
            d => $"A member of our support team will reply within {d}.",
            n => n == "1" ? "1 minute" : $"{n} minutes",
            n => n == "1" ? "1 hour" : $"{n} hours",
            n => n == "1" ? "1 day" : $"{n} days",
            "Your message contained a recovery phrase or private key. We removed it from our records, but anyone who saw it can take your funds: move them to a new wallet with a new recovery phrase now.",
            "Your message contained a password. We removed it from our records; change that password now, and anywhere else you use it.",
            "Your message contained an API secret. We removed it from our records; delete that API key now and create a new one.",
            "If someone else may have access to your account, freeze it now in the app (Account > Security > Freeze account) and change your password.",
            "Our staff will never ask for your password, 2FA codes, private keys or recovery phrase. Do not share them with anyone, even someone who says they are from us.",
            "You can follow your ticket here:",
            "To see your ticket and our replies online, confirm your email address with this link:",
            "If you did not write to us, you can ignore this email.",
            r => $"Please keep {r} in the subject of any reply.",
            "To add anything to this ticket, just write here.");

        public static Texts Simplified { get; } = new(
            "我们已收到您的消息",
            r => $"我们已收到您的消息，工单号为 {r}。",
            d => $"我们的客服人员将在 {d}内回复您。",
            n => $"{n} 分钟",
            n => $"{n} 小时",
            n => $"{n} 天",
            "您的消息中包含助记词或私钥。我们已将其从记录中删除，但任何看到它的人都可以转走您的资产：请立即将资产转移到使用新助记词的新钱包。",
            "您的消息中包含密码。我们已将其从记录中删除；请立即修改该密码，以及所有使用相同密码的账户。",
            "您的消息中包含 API 密钥（Secret）。我们已将其从记录中删除；请立即删除该 API Key 并重新创建。",
            "如果您怀疑他人可以访问您的账户，请立即在 App 中冻结账户（账户 > 安全 > 冻结账户）并修改密码。",
            "我们的工作人员绝不会向您索要密码、二次验证码、私钥或助记词。请勿向任何人透露，即使对方自称是我们的员工。",
            "您可以在此查看工单进度：",
            "如需在线查看工单及我们的回复，请通过以下链接确认您的电子邮箱：",
            "如果您没有联系过我们，请忽略此邮件。",
            r => $"回复时请在主题中保留 {r}。",
            "如需补充，直接在此发送消息即可。");

        public static Texts Traditional { get; } = new(
            "我們已收到您的訊息",
            r => $"我們已收到您的訊息，工單編號為 {r}。",
            d => $"我們的客服人員將在 {d}內回覆您。",
            n => $"{n} 分鐘",
            n => $"{n} 小時",
            n => $"{n} 天",
            "您的訊息中包含助記詞或私鑰。我們已將其從紀錄中刪除，但任何看到它的人都可以轉走您的資產：請立即將資產轉移到使用新助記詞的新錢包。",
            "您的訊息中包含密碼。我們已將其從紀錄中刪除；請立即變更該密碼，以及所有使用相同密碼的帳戶。",
            "您的訊息中包含 API 密鑰（Secret）。我們已將其從紀錄中刪除；請立即刪除該 API Key 並重新建立。",
            "如果您懷疑他人可以存取您的帳戶，請立即在 App 中凍結帳戶（帳戶 > 安全 > 凍結帳戶）並變更密碼。",
            "我們的工作人員絕不會向您索取密碼、雙重驗證碼、私鑰或助記詞。請勿向任何人透露，即使對方自稱是我們的員工。",
            "您可以在此查看工單進度：",
            "如需在線上查看工單及我們的回覆，請透過以下連結確認您的電子郵件地址：",
            "如果您沒有聯絡過我們，請忽略此郵件。",
            r => $"回覆時請在主旨中保留 {r}。",
            "如需補充，直接在此傳送訊息即可。");
    }
}
