using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Intake.Benchmarks.Load;

/// <summary>
/// Messages as customers write them: a few templates in English and Chinese, 150–700 characters, with amounts, order
/// ids and hashes varied per request, so triage does its usual work; as web-form submissions with a fresh address each
/// time, so every submission is a new ticket with its own acknowledgement (the fault run sends the same texts on other channels).
/// </summary>
internal static class Submissions
{
    private static readonly (string Subject, string Message, string Name)[] Templates =
    [
        ("Withdrawal not received",
            "Hello, I withdrew {0} USDT to my wallet on the TRON network about three hours ago and it still has not arrived. "
            + "The app shows the withdrawal as completed and gives the transaction hash 0x{2}, but my wallet shows nothing and "
            + "the explorer cannot find it. The withdrawal id is {1}. I have used this address many times before without any "
            + "problem. Could you please check what happened and tell me when I can expect the funds? Thank you.",
            "Daniel Weber"),
        ("",
            "您好,我在 {1} 号订单里充值了 {0} USDT,链上已经确认了 30 多个区块,交易哈希是 0x{2},但是我的账户余额一直没有变化。"
            + "我用的是 ERC20 网络,地址是从 App 里复制的,没有填错。已经等了两个多小时了,请帮我查一下这笔充值什么时候能到账,谢谢。",
            "李娜"),
        ("Fees on futures",
            "Hi team, I am trying to understand the fees on my futures trades this month. On order {1} I paid much more than "
            + "the 0.02% maker fee listed on your website, and my VIP level should give me a discount as well. The position "
            + "was {0} USDT. Can you explain how the fee was calculated, and whether the discount applies to futures or only "
            + "to spot trading? I would also like to know when the monthly volume for the VIP level is counted.",
            "Priya Nair"),
        ("身份验证",
            "你好,我上周提交了身份认证资料,到现在还是显示审核中。我上传的是护照和住址证明,照片都很清楚。"
            + "因为没有完成认证,我的提币额度只有 {0} USDT,影响了我的正常使用。请问审核一般需要多久?需要我补充什么材料吗?我的用户编号是 {1}。",
            "陈伟"),
        ("Cannot log in",
            "I cannot log in to my account since this morning. After I enter my password the app asks for the 2FA code, and "
            + "although I type the code from my authenticator app it says the code is invalid. I checked that the time on my "
            + "phone is set automatically. I have about {0} USDT in the account and open orders, including {1}, so I need "
            + "access soon. What can I do to reset the authenticator safely?",
            "Maria Rossi"),
        ("",
            "有人登录了我的账户,我收到了陌生设备登录的邮件提醒,然后我的 {0} USDT 被转走了,交易哈希 0x{2}。"
            + "我没有把密码告诉过任何人。请马上冻结我的账户,并帮我查一下这笔转账,订单号 {1}。",
            "王强"),
    ];

    /// <summary>The JSON body of submission number <paramref name="n"/> of run <paramref name="run"/>.</summary>
    public static byte[] Json(string run, long n)
    {
        var (subject, message, name) = Text(n);
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["message"] = message,
            ["name"] = name,
            ["email"] = string.Create(CultureInfo.InvariantCulture, $"load-{run}-{n}@customer.example"),
            ["subject"] = subject,
        });
    }

    /// <summary>The subject (may be empty), message and customer name of message number <paramref name="n"/>, for any channel.</summary>
    public static (string Subject, string Message, string Name) Text(long n)
    {
        var (subject, message, name) = Templates[(int)(n % Templates.Length)];
        var amount = (250 + (n * 37 % 9750)).ToString(CultureInfo.InvariantCulture);
        var order = string.Create(CultureInfo.InvariantCulture, $"{7_340_000_000 + (n * 7919 % 1_000_000):D10}");
        return (subject, string.Format(CultureInfo.InvariantCulture, message, amount, order, Hash(n)), name);
    }

    /// <summary>64 hex digits that differ per submission.</summary>
    private static string Hash(long n) => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(n)));
}
