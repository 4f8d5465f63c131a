namespace Intake.Surveys;

/// <summary>What surveys say, in English, simplified and traditional Chinese; other languages read English for now.</summary>
internal sealed record SurveyTexts
{
    public required string Code { get; init; }
    public required string Subject { get; init; }
    public required Func<string, string> Question { get; init; }
    public required string ButtonsHint { get; init; }
    public required string ReplyWithNumber { get; init; }
    public required string LinkIntro { get; init; }
    public required string Worst { get; init; }
    public required string Best { get; init; }
    public required string PageTitle { get; init; }
    public required string ScoreLegend { get; init; }
    public required string CommentLabel { get; init; }
    public required string CommentHint { get; init; }
    public required string Send { get; init; }
    public required string ThanksTitle { get; init; }
    public required string ThanksText { get; init; }
    public required string ThanksMessage { get; init; }
    public required string LowScoreText { get; init; }
    public required string NotFoundTitle { get; init; }
    public required string NotFoundText { get; init; }
    public required string ExpiredTitle { get; init; }
    public required string ExpiredText { get; init; }
    public required string UsedTitle { get; init; }
    public required string UsedText { get; init; }
    public required string ChooseScore { get; init; }

    public static SurveyTexts English { get; } = new()
    {
        Code = "en",
        Subject = "How did we do?",
        Question = reference => $"Your request {reference} is resolved. How satisfied are you with our support? 1 = very dissatisfied, 5 = very satisfied.",
        ButtonsHint = "Tap a number.",
        ReplyWithNumber = "Reply with a number from 1 to 5.",
        LinkIntro = "Rate us here (one click opens a page; nothing is recorded until you choose):",
        Worst = "very dissatisfied",
        Best = "very satisfied",
        PageTitle = "How satisfied are you with our support?",
        ScoreLegend = "Your rating",
        CommentLabel = "Anything you would like to tell us (optional)",
        CommentHint = "Never write passwords, 2FA codes, private keys or recovery phrases here.",
        Send = "Send rating",
        ThanksTitle = "Thank you",
        ThanksText = "Your rating has been recorded.",
        ThanksMessage = "Thank you — your rating is recorded.",
        LowScoreText = "We are sorry we let you down. A supervisor will look at your request.",
        NotFoundTitle = "Survey not found",
        NotFoundText = "This survey link is not valid. Please use the link from our message exactly as it was sent.",
        ExpiredTitle = "This survey has closed",
        ExpiredText = "Surveys can be answered for 7 days after a request is resolved. Thank you all the same.",
        UsedTitle = "Already answered",
        UsedText = "This survey has already been answered. Thank you!",
        ChooseScore = "Please choose a rating from 1 to 5.",
    };

    public static SurveyTexts SimplifiedChinese { get; } = new()
    {
        Code = "zh-Hans",
        Subject = "请评价我们的服务",
        Question = reference => $"您的请求 {reference} 已解决。您对我们的支持满意吗？1 = 非常不满意，5 = 非常满意。",
        ButtonsHint = "请点击一个数字。",
        ReplyWithNumber = "请回复 1 到 5 之间的数字。",
        LinkIntro = "请在此评分（打开页面后选择评分才会记录）：",
        Worst = "非常不满意",
        Best = "非常满意",
        PageTitle = "您对我们的支持满意吗？",
        ScoreLegend = "您的评分",
        CommentLabel = "您想告诉我们的话（可选）",
        CommentHint = "请勿在此填写密码、两步验证码、私钥或助记词。",
        Send = "提交评分",
        ThanksTitle = "谢谢",
        ThanksText = "您的评分已记录。",
        ThanksMessage = "谢谢，您的评分已记录。",
        LowScoreText = "很抱歉让您失望了。主管会查看您的请求。",
        NotFoundTitle = "找不到调查",
        NotFoundText = "此调查链接无效。请使用我们消息中原样发送的链接。",
        ExpiredTitle = "此调查已关闭",
        ExpiredText = "请求解决后 7 天内可以评分。仍然感谢您。",
        UsedTitle = "已评分",
        UsedText = "此调查已经评过分。谢谢！",
        ChooseScore = "请选择 1 到 5 的评分。",
    };

    public static SurveyTexts TraditionalChinese { get; } = new()
    {
        Code = "zh-Hant",
        Subject = "請評價我們的服務",
        Question = reference => $"您的請求 {reference} 已解決。您對我們的支援滿意嗎？1 = 非常不滿意，5 = 非常滿意。",
        ButtonsHint = "請點選一個數字。",
        ReplyWithNumber = "請回覆 1 到 5 之間的數字。",
        LinkIntro = "請在此評分（開啟頁面後選擇評分才會記錄）：",
        Worst = "非常不滿意",
        Best = "非常滿意",
        PageTitle = "您對我們的支援滿意嗎？",
        ScoreLegend = "您的評分",
        CommentLabel = "您想告訴我們的話（選填）",
        CommentHint = "請勿在此填寫密碼、兩步驟驗證碼、私鑰或助記詞。",
        Send = "送出評分",
        ThanksTitle = "謝謝",
        ThanksText = "您的評分已記錄。",
        ThanksMessage = "謝謝，您的評分已記錄。",
        LowScoreText = "很抱歉讓您失望了。主管會查看您的請求。",
        NotFoundTitle = "找不到調查",
        NotFoundText = "此調查連結無效。請使用我們訊息中原樣傳送的連結。",
        ExpiredTitle = "此調查已關閉",
        ExpiredText = "請求解決後 7 天內可以評分。仍然感謝您。",
        UsedTitle = "已評分",
        UsedText = "此調查已經評過分。謝謝！",
        ChooseScore = "請選擇 1 到 5 的評分。",
    };

    public static SurveyTexts For(string? language) => language switch
    {
        "zh-Hans" => SimplifiedChinese,
        "zh-Hant" => TraditionalChinese,
        _ => English,
    };
}
