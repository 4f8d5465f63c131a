using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Intake.Benchmarks.Load;

namespace Intake.Benchmarks.Chaos;

/// <summary>The channels a fault run's clients write on, as <c>--channels</c> names them.</summary>
internal enum ChaosChannel
{
    /// <summary>The web form: <c>POST /api/intake/web</c> with an <c>Idempotency-Key</c>, answered 202 with the ticket id.</summary>
    Web,

    /// <summary>The Telegram bot's webhook: <c>POST /api/intake/telegram</c>, an <c>Update</c>, answered 200.</summary>
    Telegram,

    /// <summary>Meta's webhook with Messenger deliveries (<c>object: page</c>): <c>POST /api/intake/meta</c>, answered 200.</summary>
    Meta,
}

internal static class ChaosChannels
{
    public static IReadOnlyList<ChaosChannel> All { get; } = [ChaosChannel.Web, ChaosChannel.Telegram, ChaosChannel.Meta];

    /// <summary>The name <c>--channels</c> and the report use.</summary>
    public static string Name(this ChaosChannel channel) => channel switch
    {
        ChaosChannel.Web => "web",
        ChaosChannel.Telegram => "telegram",
        _ => "meta",
    };

    /// <summary>The ticket's <c>channel</c>, as <c>GET /api/tickets?channel=</c> filters it.</summary>
    public static string TicketChannel(this ChaosChannel channel) => channel switch
    {
        ChaosChannel.Web => "web",
        ChaosChannel.Telegram => "telegram",
        _ => "messenger",
    };

    public static bool TryParse(string name, out ChaosChannel channel)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                channel = candidate;
                return true;
            }
        }

        channel = default;
        return false;
    }
}

/// <summary>
/// One message as a client sends it, the very same request again and again until it is answered: where, which
/// headers, which bytes, and the contact it comes from (an address, a chat id or a PSID of its own, so that the tickets
/// of that contact are the tickets of this message).
/// </summary>
internal sealed record ChaosDelivery(ChaosChannel Channel, long Number, string Contact, Uri Path, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <summary>The status that means the message is ours: 202 from the web form (with a ticket id), 200 from a webhook.</summary>
    public HttpStatusCode Answered => Channel == ChaosChannel.Web ? HttpStatusCode.Accepted : HttpStatusCode.OK;

    public HttpRequestMessage Request(Uri baseUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, Path)) { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in Headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }
}

/// <summary>
/// Makes the run's deliveries as each provider makes them. Web form: a submission with an address of its own and an
/// <c>Idempotency-Key</c>. Telegram: an <c>Update</c> with a fresh <c>update_id</c> and a text message in a private chat
/// of its own, with the webhook's secret token in <c>X-Telegram-Bot-Api-Secret-Token</c>. Meta: a <c>page</c> delivery
/// with one messaging event from a PSID of its own and a fresh <c>mid</c>, signed <c>X-Hub-Signature-256</c> (HMAC-SHA256 of
/// the body under the app secret). The texts are the load run's (<see cref="Submissions"/>).
/// </summary>
internal sealed class ChaosDeliveries(string run, string telegramSecretToken, string metaAppSecret)
{
    /// <summary>The page the Messenger deliveries are addressed to.</summary>
    public const string PageId = "105512345678901";

    private static readonly Uri WebForm = new("api/intake/web", UriKind.Relative);
    private static readonly Uri TelegramWebhook = new("api/intake/telegram", UriKind.Relative);
    private static readonly Uri MetaWebhook = new("api/intake/meta", UriKind.Relative);

    public ChaosDelivery Next(ChaosChannel channel, long number) => channel switch
    {
        ChaosChannel.Web => Web(number),
        ChaosChannel.Telegram => Telegram(number),
        _ => Meta(number),
    };

    private ChaosDelivery Web(long number) => new(
        ChaosChannel.Web,
        number,
        string.Create(CultureInfo.InvariantCulture, $"load-{run}-{number}@customer.example"),
        WebForm,
        Submissions.Json(run, number),
        [new("Idempotency-Key", string.Create(CultureInfo.InvariantCulture, $"{run}-{number}"))]);

    private ChaosDelivery Telegram(long number)
    {
        // A private chat's id is its user's id; a fresh one per message. Update ids only grow, as Telegram's do.
        var chatId = 5_000_000_000 + number;
        var (_, text, name) = Submissions.Text(number);
        var person = new JsonObject
        {
            ["id"] = chatId,
            ["is_bot"] = false,
            ["first_name"] = name.Split(' ')[0],
            ["language_code"] = number % 2 == 0 ? "en" : "zh-hans",
        };
        var update = new JsonObject
        {
            ["update_id"] = 100_000_000 + number,
            ["message"] = new JsonObject
            {
                ["message_id"] = 2,
                ["from"] = person,
                ["chat"] = new JsonObject { ["id"] = chatId, ["first_name"] = name.Split(' ')[0], ["type"] = "private" },
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["text"] = text,
            },
        };
        return new(
            ChaosChannel.Telegram,
            number,
            chatId.ToString(CultureInfo.InvariantCulture),
            TelegramWebhook,
            JsonSerializer.SerializeToUtf8Bytes(update),
            [new("X-Telegram-Bot-Api-Secret-Token", telegramSecretToken)]);
    }

    private ChaosDelivery Meta(long number)
    {
        var psid = (7_100_000_000_000_000 + number).ToString(CultureInfo.InvariantCulture);
        var (_, text, _) = Submissions.Text(number);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var delivery = new JsonObject
        {
            ["object"] = "page",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = PageId,
                ["time"] = now,
                ["messaging"] = new JsonArray(new JsonObject
                {
                    ["sender"] = new JsonObject { ["id"] = psid },
                    ["recipient"] = new JsonObject { ["id"] = PageId },
                    ["timestamp"] = now,
                    ["message"] = new JsonObject
                    {
                        ["mid"] = string.Create(CultureInfo.InvariantCulture, $"m_{run}-{number}"),
                        ["text"] = text,
                    },
                }),
            }),
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(delivery);
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(metaAppSecret), body));
        return new(ChaosChannel.Meta, number, psid, MetaWebhook, body, [new("X-Hub-Signature-256", signature)]);
    }
}
