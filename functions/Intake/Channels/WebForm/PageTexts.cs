using Intake.Tickets;
using Intake.Triage;
using Intake.Web.Pages;
using Microsoft.Net.Http.Headers;

namespace Intake.Channels.WebForm;

/// <summary>
/// What the support pages say, in English, simplified and traditional Chinese. Field errors come from
/// <see cref="WebFormSubmission.Validate"/> and <see cref="WebFormIntake"/> in English; <see cref="Error"/> translates
/// the ones it knows and leaves any other as it is.
/// </summary>
internal sealed record PageTexts
{
    public required string Code { get; init; }

    /// <summary>The language's name in itself, for the language switch.</summary>
    public required string NativeName { get; init; }

    public required string LanguageSwitch { get; init; }
    public required string FormTitle { get; init; }
    public required string FormIntro { get; init; }
    public required string NeverAsk { get; init; }
    public required string Required { get; init; }
    public required string Optional { get; init; }
    public required string MessageLabel { get; init; }
    public required string MessageHint { get; init; }
    public required string NameLabel { get; init; }
    public required string EmailLabel { get; init; }
    public required string EmailHint { get; init; }
    public required string SubjectLabel { get; init; }
    public required string ExistingTicket { get; init; }
    public required string ReferenceLabel { get; init; }
    public required string ReferenceHint { get; init; }
    public required string Honeypot { get; init; }
    public required string Send { get; init; }
    public required string ErrorTitlePrefix { get; init; }
    public required string ErrorSummary { get; init; }
    public required string ThanksTitle { get; init; }
    public required string ThanksText { get; init; }

    /// <summary>The answer to a follow-up by reference and address: it says nothing of any ticket.</summary>
    public required string ReceivedText { get; init; }
    public required string TooManyTitle { get; init; }
    public required Func<int, string> TooManyText { get; init; }
    public required string TooLargeTitle { get; init; }
    public required string TooLargeText { get; init; }
    public required string UnreadableTitle { get; init; }
    public required string UnreadableText { get; init; }
    public required string NotFoundTitle { get; init; }
    public required string NotFoundText { get; init; }
    public required string BackToForm { get; init; }
    public required Func<string, string> StatusTitle { get; init; }
    public required string KeepLinkPrivate { get; init; }
    public required string ReferenceTerm { get; init; }
    public required string StatusTerm { get; init; }
    public required string CategoryTerm { get; init; }
    public required string CreatedTerm { get; init; }
    public required string AcknowledgementTerm { get; init; }
    public required string MessagesHeading { get; init; }
    public required string FromCustomer { get; init; }
    public required string FromSupport { get; init; }
    public required string FollowUpHeading { get; init; }
    public required string FollowUpLabel { get; init; }
    public required string ByEmail { get; init; }
    public required string NotYetSent { get; init; }

    /// <summary>On the status page of a ticket whose address is unproven, above the thread.</summary>
    public required string UnverifiedNote { get; init; }

    /// <summary>In place of our answer's text on the status page of a ticket whose address is unproven.</summary>
    public required string RepliedByEmail { get; init; }

    public required string VerifyTitle { get; init; }
    public required Func<string, string> VerifyText { get; init; }
    public required string VerifyButton { get; init; }
    public required string BusyTitle { get; init; }
    public required string BusyText { get; init; }

    /// <summary>Between who wrote a message and when.</summary>
    public required string Comma { get; init; }

    /// <summary>Indexed by <see cref="TicketStatus"/>.</summary>
    public required IReadOnlyList<string> Statuses { get; init; }

    /// <summary>Indexed by <see cref="TicketCategory"/>.</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Indexed by <see cref="OutboundStatus"/>.</summary>
    public required IReadOnlyList<string> Deliveries { get; init; }

    /// <summary>Field names as the error summary shows them, by form field.</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>Translations of the English field errors, keyed by the English text.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    public string Status(TicketStatus status) => Statuses[(int)status];

    public string Category(TicketCategory category) => Categories[(int)category];

    public string Delivery(OutboundStatus status) => Deliveries[(int)status];

    public string Error(string english) => Errors.GetValueOrDefault(english, english);

    public string Field(string name) => Fields.GetValueOrDefault(name, name);

    public static IReadOnlyList<PageTexts> All => [English, Simplified, Traditional];

    /// <summary>The texts for a language tag (<see cref="PageLanguages.ForTag"/>); null for a language the pages do not speak.</summary>
    public static PageTexts? ForTag(string? tag) => PageLanguages.ForTag(tag) is { } code ? ForTicket(code) : null;

    /// <summary>The texts of the first of the client's languages that the pages speak (<see cref="PageLanguages.Negotiate"/>).</summary>
    public static PageTexts Negotiate(IEnumerable<StringWithQualityHeaderValue> acceptLanguage) => ForTicket(PageLanguages.Negotiate(acceptLanguage));

    /// <summary>Ticket languages other than en, zh-Hans and zh-Hant are shown in English.</summary>
    public static PageTexts ForTicket(string language) => language switch
    {
        PageLanguages.SimplifiedChinese => Simplified,
        PageLanguages.TraditionalChinese => Traditional,
        _ => English,
    };

    public static PageTexts English { get; } = new()
    {
        Code = "en",
        NativeName = "English",
        LanguageSwitch = "Language",
        FormTitle = "Contact support",
        FormIntro = "Tell us what happened. We read every message, answer in your language, and deal with urgent problems first.",
        NeverAsk = "Support will never ask for your password, 2FA codes, private keys or recovery phrase. Do not paste them here or send them to anyone.",
        Required = " (required)",
        Optional = " (optional)",
        MessageLabel = "Your message",
        MessageHint = "What happened, and when? Include transaction hashes, addresses and order numbers if you have them.",
        NameLabel = "Name",
        EmailLabel = "Email",
        EmailHint = "We send our acknowledgement and replies here.",
        SubjectLabel = "Subject",
        ExistingTicket = "Add to an existing ticket",
        ReferenceLabel = "Ticket reference",
        ReferenceHint = "It looks like T-ABC234. Give the email address you used for that ticket too.",
        Honeypot = "Leave this field empty",
        Send = "Send",
        ErrorTitlePrefix = "Error: ",
        ErrorSummary = "Please correct the following:",
        ThanksTitle = "Thank you",
        ThanksText = "We have received your message.",
        ReceivedText = "We have received your message and will answer by email.",
        TooManyTitle = "Too many messages",
        TooManyText = minutes => minutes == 1
            ? "Many messages have come from your address. Please try again in 1 minute."
            : $"Many messages have come from your address. Please try again in {minutes} minutes.",
        TooLargeTitle = "Message too long",
        TooLargeText = $"What you sent is larger than {WebFormSubmission.MaxBodyBytes / 1024} KB. Please shorten it and send it again.",
        UnreadableTitle = "The form could not be read",
        UnreadableText = "Please send your message with the form on this page.",
        NotFoundTitle = "Ticket not found",
        NotFoundText = "This link does not lead to a ticket, or it has expired. Check that you copied the whole address, or write to us again.",
        BackToForm = "Contact support",
        StatusTitle = reference => $"Ticket {reference}",
        KeepLinkPrivate = "Keep the address of this page to yourself: anyone who has it can read this ticket and add to it.",
        ReferenceTerm = "Reference",
        StatusTerm = "Status",
        CategoryTerm = "Topic",
        CreatedTerm = "Opened",
        AcknowledgementTerm = "Acknowledgement",
        MessagesHeading = "Messages",
        FromCustomer = "You",
        FromSupport = "Support",
        FollowUpHeading = "Add a message",
        FollowUpLabel = "Your message",
        ByEmail = "by email",
        NotYetSent = "not sent yet",
        UnverifiedNote = "We send our replies to the email address given for this ticket. To read them here too, confirm the address with the link in our email.",
        RepliedByEmail = "We replied by email.",
        VerifyTitle = "Confirm your email address",
        VerifyText = reference =>
            $"Press the button to confirm that you wrote to us about ticket {reference} from this email address. You will then see the ticket with our replies. If you did not write to us, close this page.",
        VerifyButton = "Confirm",
        BusyTitle = "Please try again",
        BusyText = "We could not finish this just now. Please try again in a moment.",
        Comma = ", ",
        Statuses = ["received", "open", "waiting for your reply", "resolved", "closed"],
        Categories =
        [
            "account security", "account access", "withdrawal", "deposit", "phishing report", "trading", "API",
            "verification", "fees and limits", "wallets and Web3", "general question", "feedback",
        ],
        Deliveries =
        [
            "being sent", "sent", "not delivered yet; we will try again", "not sent; follow your ticket on this page",
            "returned undelivered; please check your email address", "not sent: the conversation window has closed",
            "not sent: this address has had today's automatic messages; follow your ticket on this page",
        ],
        Fields = new Dictionary<string, string>
        {
            ["message"] = "Your message", ["name"] = "Name", ["email"] = "Email", ["subject"] = "Subject",
            ["reference"] = "Ticket reference", ["language"] = "Language",
        },
    };

    public static PageTexts Simplified { get; } = new()
    {
        Code = "zh-Hans",
        NativeName = "简体中文",
        LanguageSwitch = "语言",
        FormTitle = "联系客服",
        FormIntro = "请告诉我们发生了什么。我们会阅读每一条消息，用您的语言回复，并优先处理紧急问题。",
        NeverAsk = "客服绝不会向您索要密码、二次验证码、私钥或助记词。请勿在此粘贴，也不要发送给任何人。",
        Required = "（必填）",
        Optional = "（选填）",
        MessageLabel = "您的消息",
        MessageHint = "发生了什么？什么时候？如有交易哈希、地址和订单号，请一并提供。",
        NameLabel = "姓名",
        EmailLabel = "电子邮箱",
        EmailHint = "我们会将确认信和回复发送到此邮箱。",
        SubjectLabel = "主题",
        ExistingTicket = "补充到已有工单",
        ReferenceLabel = "工单号",
        ReferenceHint = "格式类似 T-ABC234。请同时填写您提交该工单时使用的电子邮箱。",
        Honeypot = "请勿填写此栏",
        Send = "发送",
        ErrorTitlePrefix = "错误：",
        ErrorSummary = "请更正以下内容：",
        ThanksTitle = "谢谢",
        ThanksText = "我们已收到您的消息。",
        ReceivedText = "我们已收到您的消息，将通过电子邮件回复您。",
        TooManyTitle = "消息过多",
        TooManyText = minutes => $"来自您的网络地址的消息过多。请在 {minutes} 分钟后重试。",
        TooLargeTitle = "消息过长",
        TooLargeText = $"您发送的内容超过 {WebFormSubmission.MaxBodyBytes / 1024} KB。请删减后重新发送。",
        UnreadableTitle = "无法读取表单",
        UnreadableText = "请使用本页面上的表单发送消息。",
        NotFoundTitle = "未找到工单",
        NotFoundText = "此链接没有对应的工单，或已过期。请确认您复制了完整的地址，或重新联系我们。",
        BackToForm = "联系客服",
        StatusTitle = reference => $"工单 {reference}",
        KeepLinkPrivate = "请勿将本页地址告诉他人：任何拥有此地址的人都可以查看并补充此工单。",
        ReferenceTerm = "工单号",
        StatusTerm = "状态",
        CategoryTerm = "问题类型",
        CreatedTerm = "提交时间",
        AcknowledgementTerm = "确认信",
        MessagesHeading = "消息记录",
        FromCustomer = "您",
        FromSupport = "客服",
        FollowUpHeading = "补充信息",
        FollowUpLabel = "您的消息",
        ByEmail = "电子邮件",
        NotYetSent = "尚未发送",
        UnverifiedNote = "我们的回复会发送到此工单填写的电子邮箱。如需同时在此页面查看回复，请通过我们邮件中的链接确认该邮箱。",
        RepliedByEmail = "我们已通过电子邮件回复。",
        VerifyTitle = "确认您的电子邮箱",
        VerifyText = reference => $"请点击下方按钮，确认是您使用此电子邮箱就工单 {reference} 联系了我们。确认后即可查看工单及我们的回复。如果您没有联系过我们，请关闭此页面。",
        VerifyButton = "确认",
        BusyTitle = "请重试",
        BusyText = "我们暂时无法完成此操作，请稍后重试。",
        Comma = "，",
        Statuses = ["已收到", "处理中", "等待您的回复", "已解决", "已关闭"],
        Categories =
        [
            "账户安全", "账户登录", "提现", "充值", "钓鱼举报", "交易", "API",
            "身份认证", "费用与限额", "钱包与 Web3", "一般问题", "意见反馈",
        ],
        Deliveries =
        [
            "正在发送", "已发送", "尚未送达，我们会重试", "未发送，请在本页查看工单进度",
            "被退回，请检查您的电子邮箱地址", "未发送：对话窗口已关闭",
            "未发送：该地址今天的自动消息已达上限，请在本页查看工单进度",
        ],
        Fields = new Dictionary<string, string>
        {
            ["message"] = "您的消息", ["name"] = "姓名", ["email"] = "电子邮箱", ["subject"] = "主题",
            ["reference"] = "工单号", ["language"] = "语言",
        },
        Errors = new Dictionary<string, string>
        {
            ["Write your message."] = "请填写您的消息。",
            [$"A message may be at most {WebFormSubmission.MaxMessageLength:N0} characters."] = $"消息最多 {WebFormSubmission.MaxMessageLength:N0} 个字符。",
            ["At most 200 characters."] = "最多 200 个字符。",
            ["This is not an email address."] = "这不是有效的电子邮箱地址。",
            ["Not a language tag."] = "语言代码无效。",
            ["A reference looks like T-ABC234."] = "工单号的格式类似 T-ABC234。",
            [WebFormIntake.EmailNeededError] = "要补充到已有工单，请填写您提交该工单时使用的电子邮箱。",
        },
    };

    public static PageTexts Traditional { get; } = new()
    {
        Code = "zh-Hant",
        NativeName = "繁體中文",
        LanguageSwitch = "語言",
        FormTitle = "聯絡客服",
        FormIntro = "請告訴我們發生了什麼事。我們會閱讀每一則訊息，以您的語言回覆，並優先處理緊急問題。",
        NeverAsk = "客服絕不會向您索取密碼、雙重驗證碼、私鑰或助記詞。請勿在此貼上，也不要傳送給任何人。",
        Required = "（必填）",
        Optional = "（選填）",
        MessageLabel = "您的訊息",
        MessageHint = "發生了什麼事？什麼時候？如有交易雜湊、地址和訂單編號，請一併提供。",
        NameLabel = "姓名",
        EmailLabel = "電子郵件",
        EmailHint = "我們會將確認信和回覆寄送到此信箱。",
        SubjectLabel = "主旨",
        ExistingTicket = "補充到現有工單",
        ReferenceLabel = "工單編號",
        ReferenceHint = "格式類似 T-ABC234。請同時填寫您提交該工單時使用的電子郵件地址。",
        Honeypot = "請勿填寫此欄",
        Send = "送出",
        ErrorTitlePrefix = "錯誤：",
        ErrorSummary = "請更正以下內容：",
        ThanksTitle = "謝謝",
        ThanksText = "我們已收到您的訊息。",
        ReceivedText = "我們已收到您的訊息，將透過電子郵件回覆您。",
        TooManyTitle = "訊息過多",
        TooManyText = minutes => $"來自您的網路位址的訊息過多。請在 {minutes} 分鐘後重試。",
        TooLargeTitle = "訊息過長",
        TooLargeText = $"您傳送的內容超過 {WebFormSubmission.MaxBodyBytes / 1024} KB。請刪減後重新傳送。",
        UnreadableTitle = "無法讀取表單",
        UnreadableText = "請使用本頁面上的表單傳送訊息。",
        NotFoundTitle = "找不到工單",
        NotFoundText = "此連結沒有對應的工單，或已過期。請確認您複製了完整的網址，或重新聯絡我們。",
        BackToForm = "聯絡客服",
        StatusTitle = reference => $"工單 {reference}",
        KeepLinkPrivate = "請勿將本頁網址告訴他人：任何擁有此網址的人都可以查看並補充此工單。",
        ReferenceTerm = "工單編號",
        StatusTerm = "狀態",
        CategoryTerm = "問題類型",
        CreatedTerm = "提交時間",
        AcknowledgementTerm = "確認信",
        MessagesHeading = "訊息紀錄",
        FromCustomer = "您",
        FromSupport = "客服",
        FollowUpHeading = "補充訊息",
        FollowUpLabel = "您的訊息",
        ByEmail = "電子郵件",
        NotYetSent = "尚未傳送",
        UnverifiedNote = "我們的回覆會寄送到此工單填寫的電子郵件地址。如需同時在此頁面查看回覆，請透過我們郵件中的連結確認該地址。",
        RepliedByEmail = "我們已透過電子郵件回覆。",
        VerifyTitle = "確認您的電子郵件地址",
        VerifyText = reference => $"請按下方按鈕，確認是您使用此電子郵件地址就工單 {reference} 聯絡了我們。確認後即可查看工單及我們的回覆。如果您沒有聯絡過我們，請關閉此頁面。",
        VerifyButton = "確認",
        BusyTitle = "請重試",
        BusyText = "我們暫時無法完成此操作，請稍後重試。",
        Comma = "，",
        Statuses = ["已收到", "處理中", "等待您的回覆", "已解決", "已關閉"],
        Categories =
        [
            "帳戶安全", "帳戶登入", "提領", "入金", "釣魚檢舉", "交易", "API",
            "身分驗證", "費用與限額", "錢包與 Web3", "一般問題", "意見回饋",
        ],
        Deliveries =
        [
            "正在傳送", "已傳送", "尚未送達，我們會重試", "未傳送，請在本頁查看工單進度",
            "遭到退回，請檢查您的電子郵件地址", "未傳送：對話視窗已關閉",
            "未傳送：此地址今天的自動訊息已達上限，請在本頁查看工單進度",
        ],
        Fields = new Dictionary<string, string>
        {
            ["message"] = "您的訊息", ["name"] = "姓名", ["email"] = "電子郵件", ["subject"] = "主旨",
            ["reference"] = "工單編號", ["language"] = "語言",
        },
        Errors = new Dictionary<string, string>
        {
            ["Write your message."] = "請填寫您的訊息。",
            [$"A message may be at most {WebFormSubmission.MaxMessageLength:N0} characters."] = $"訊息最多 {WebFormSubmission.MaxMessageLength:N0} 個字元。",
            ["At most 200 characters."] = "最多 200 個字元。",
            ["This is not an email address."] = "這不是有效的電子郵件地址。",
            ["Not a language tag."] = "語言代碼無效。",
            ["A reference looks like T-ABC234."] = "工單編號的格式類似 T-ABC234。",
            [WebFormIntake.EmailNeededError] = "要補充到現有工單，請填寫您提交該工單時使用的電子郵件地址。",
        },
    };
}
