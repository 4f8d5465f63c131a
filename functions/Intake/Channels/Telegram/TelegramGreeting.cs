using Intake.Tickets;

namespace Intake.Channels.Telegram;

/// <summary>The answer to <c>/start</c>: what to do next, and the warning that support never asks for secrets. No ticket.</summary>
public static class TelegramGreeting
{
    /// <summary>zh-TW, zh-HK and zh-Hant read traditional; any other zh simplified; everything else English.</summary>
    public static string LanguageOf(string? languageCode) => Languages.Normalize(languageCode) switch
    {
        "zh-Hans" => "zh-Hans",
        "zh-Hant" => "zh-Hant",
        _ => "en",
    };

    public static string Text(string language) => language switch
    {
        "zh-Hans" => "您好！这里是客服。请直接发送消息描述您的问题（可附截图），我们会为您创建工单并在这里回复。\n\n"
            + "我们的工作人员绝不会向您索要密码、二次验证码、私钥或助记词。请勿向任何人透露。",
        "zh-Hant" => "您好！這裡是客服。請直接傳送訊息描述您的問題（可附截圖），我們會為您建立工單並在這裡回覆。\n\n"
            + "我們的工作人員絕不會向您索取密碼、雙重驗證碼、私鑰或助記詞。請勿向任何人透露。",
        _ => "Hello! This is customer support. Send us a message describing your problem (screenshots welcome); we will open a ticket and answer you here.\n\n"
            + "Our staff will never ask for your password, 2FA codes, private keys or recovery phrase. Do not share them with anyone.",
    };
}
