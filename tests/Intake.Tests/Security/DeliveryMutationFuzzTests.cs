using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Intake.Channels.Meta;
using Intake.Channels.Telegram;
using Intake.Channels.X;
using Intake.Messaging;
using Intake.Tests.Agents;
using Intake.Tests.Channels.Email;
using Intake.Tests.Channels.Meta;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Channels.X;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Triage;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a delivery that is almost right — a provider's payload, correctly signed, with one field of an unexpected type,
/// size or content — gets past the parser and throws deeper in a handler or in the worker: a 500 that the provider
/// retries until it gives up (the message is lost), or a queue message that poisons. Control: valid deliveries of every
/// channel, mutated at random (types swapped, fields dropped or repeated, huge, hostile or half-surrogate strings), signed
/// as their provider signs them, are answered below 500, and whatever they stored is handled by the worker without a
/// poisoned message. Seeded: <c>INTAKE_FUZZ_SEED</c> replays a failure, <c>INTAKE_FUZZ_ROUNDS</c> runs more rounds.
/// </summary>
public sealed class DeliveryMutationFuzzTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string TelegramSecret = TelegramEndToEndTests.Secret;
    private const string Lone = "§LONE§";

    private readonly ChannelFakes fakes = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await fakes.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await fakes.DisposeAsync();

    [Fact]
    public async Task Mutated_deliveries_of_every_channel_never_get_a_5xx_nor_poison_the_worker()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("INTAKE_FUZZ_SEED"), out var given) ? given : 4_122_026;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("INTAKE_FUZZ_ROUNDS"), out var r) ? r : 25;
        var settings = fakes.Settings(TelegramSecret, MetaFixtures.AppSecret, MetaFixtures.VerifyToken, XFixtures.ConsumerSecret, AgentApi.Settings(InboundParsePosts.Settings()));

        using var logs = new CapturedLogs();
        await using var host = await IntakeHost.StartAsync(azurite, settings, logs: logs);
        using var client = host.CreateClient();
        var ticket = await AgentApi.SubmitAsync(client, "my withdrawal of 0.3 BTC is stuck", "fuzz@example.com");
        var random = new Random(seed);
        var failures = new List<string>();
        var id = 0;

        for (var round = 0; round < rounds; round++)
        {
            id++;
            var templates = new (string Channel, Func<int, JsonNode> Build)[]
            {
                ("telegram", n => JsonNode.Parse(TelegramFixtures.Text(9_000_000 + n, "my deposit of 50 USDT is missing"))!),
                ("telegram", n => JsonNode.Parse(TelegramFixtures.Update(9_100_000 + n, "message", TelegramFixtures.Document(TelegramFixtures.Message(n, null), "statement")))!),
                ("telegram", n => JsonNode.Parse(TelegramFixtures.CallbackQuery(9_200_000 + n, "survey:abc:5"))!),
                ("meta", n => JsonNode.Parse(MetaFixtures.Messenger(MetaFixtures.TextEvent($"m_fuzz_{n}", "I cannot log in")))!),
                ("meta", n => JsonNode.Parse(MetaFixtures.WhatsApp(MetaFixtures.WhatsAppText($"wamid.fuzz{n}", "saque pendente")))!),
                ("meta", n => JsonNode.Parse(MetaFixtures.WhatsApp(MetaFixtures.WhatsAppListReply($"wamid.list{n}", "survey:x:4", "4")))!),
                ("x", n => JsonNode.Parse(XFixtures.Text((1_700_000_000_000_000_000L + n).ToString(System.Globalization.CultureInfo.InvariantCulture), "my account is locked"))!),
                ("web", _ => new JsonObject { ["message"] = "my withdrawal is stuck", ["email"] = "web-fuzz@example.com", ["name"] = "Ana", ["subject"] = "help", ["language"] = "en" }),
                ("reply", _ => new JsonObject { ["text"] = "We are looking into it.", ["agent"] = "Mei" }),
                ("patch", _ => new JsonObject { ["agent"] = "Mei", ["urgency"] = "high", ["category"] = "withdrawal" }),
            };

            foreach (var (channel, build) in templates)
            {
                var node = build(id * 16 + Array.IndexOf(templates, (channel, build)));
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    node = Mutate(node, random);
                }

                var body = node.ToJsonString().Replace(Lone, "\\ud83d", StringComparison.Ordinal);
                var status = await PostAsync(client, channel, body, ticket.TicketId);
                if (status >= 500)
                {
                    failures.Add($"seed {seed} round {round} {channel}: {status} for {Truncate(body)}");
                }
            }

            var mail = MutatedMail(random, id);
            using var request = new HttpRequestMessage(HttpMethod.Post, InboundParsePosts.Endpoint) { Content = mail };
            request.Headers.Authorization = InboundParsePosts.Credentials();
            using var response = await client.SendAsync(request, Cancellation);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"seed {seed} round {round} email: {(int)response.StatusCode}");
            }
        }

        // The server's own errors say where it broke (they never hold message text).
        var errors = logs.Lines.Where(line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal));
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)) + "\n\nServer errors:\n" + string.Join('\n', errors.Take(5).Select(e => Truncate(e, 3000))));
        await AssertNothingPoisonedAsync(host);
    }

    private static async Task<int> PostAsync(HttpClient client, string channel, string body, string ticketId)
    {
        var (method, path) = channel switch
        {
            "telegram" => (HttpMethod.Post, "/api/intake/telegram"),
            "meta" => (HttpMethod.Post, "/api/intake/meta"),
            "x" => (HttpMethod.Post, "/api/intake/x"),
            "web" => (HttpMethod.Post, "/api/intake/web"),
            "reply" => (HttpMethod.Post, $"/api/tickets/{ticketId}/replies"),
            _ => (HttpMethod.Patch, $"/api/tickets/{ticketId}"),
        };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var bytes = Encoding.UTF8.GetBytes(body);
        request.Headers.TryAddWithoutValidation(TelegramEndpoints.SecretTokenHeader, TelegramSecret);
        request.Headers.TryAddWithoutValidation(MetaEndpoints.SignatureHeader, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(MetaFixtures.AppSecret), bytes)));
        request.Headers.TryAddWithoutValidation(XSignatures.SignatureHeader, "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(XFixtures.ConsumerSecret), bytes)));
        request.Headers.TryAddWithoutValidation("x-api-key", AgentApi.ApiKey);
        using var response = await client.SendAsync(request, Cancellation);
        return (int)response.StatusCode;
    }

    /// <summary>One random change somewhere in the tree; the root itself may be replaced.</summary>
    private static JsonNode Mutate(JsonNode root, Random random)
    {
        var nodes = new List<(JsonNode? Parent, object Key, JsonNode? Node)>();
        Collect(null, "", root, nodes);
        var (parent, key, node) = nodes[random.Next(nodes.Count)];
        var replacement = random.Next(9) switch
        {
            0 => Hostile(random),
            1 => null,
            2 => new JsonArray(node?.DeepClone(), node?.DeepClone()),
            3 => Deep(random.Next(10, 60)),
            4 => node is JsonValue value && value.TryGetValue<string>(out var text) ? JsonValue.Create(text + Lone + text) : Hostile(random),
            5 => node is JsonValue value2 && value2.TryGetValue<string>(out var text2) && text2.Length < 200
                ? JsonValue.Create(string.Concat(Enumerable.Repeat(text2 + " ", 2_000)))
                : Hostile(random),
            6 => new JsonObject { ["unexpected"] = Hostile(random) },
            7 => JsonValue.Create(random.Next(3) switch { 0 => long.MaxValue, 1 => long.MinValue, _ => -1L }),
            _ => JsonValue.Create(new string('9', random.Next(20, 400))),
        };

        if (parent is null)
        {
            return replacement ?? new JsonObject();
        }

        if (parent is JsonObject obj)
        {
            if (replacement is null && random.Next(2) == 0)
            {
                obj.Remove((string)key);
            }
            else
            {
                obj[(string)key] = replacement;
            }
        }
        else if (parent is JsonArray array)
        {
            var index = (int)key;
            array[index] = replacement;
            if (random.Next(4) == 0)
            {
                for (var i = 0; i < 30; i++)
                {
                    array.Add(array[index]?.DeepClone());
                }
            }
        }

        return root;
    }

    private static void Collect(JsonNode? parent, object key, JsonNode? node, List<(JsonNode?, object, JsonNode?)> nodes)
    {
        nodes.Add((parent, key, node));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    Collect(obj, name, child, nodes);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(array, i, array[i], nodes);
                }

                break;
        }
    }

    private static JsonNode? Hostile(Random random) => random.Next(14) switch
    {
        0 => JsonValue.Create(""),
        1 => JsonValue.Create("   \t\r\n"),
        2 => JsonValue.Create("\0\u0001\u001b[31m"),
        3 => JsonValue.Create("<script>alert(1)</script>"),
        4 => JsonValue.Create("[T-ABC234] ../../etc/passwd %00"),
        5 => JsonValue.Create(new string('ж', 70_000)),
        6 => JsonValue.Create("\u202e\u200b\ufeff💥"),
        7 => JsonValue.Create(Lone),
        8 => JsonValue.Create(true),
        9 => JsonValue.Create(0.5),
        10 => JsonNode.Parse("1e308"),
        11 => new JsonArray(),
        12 => new JsonObject(),
        _ => JsonValue.Create("survey:" + new string('A', 300)),
    };

    private static JsonNode Deep(int depth)
    {
        JsonNode node = JsonValue.Create("x");
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["a"] = node };
        }

        return node;
    }

    /// <summary>An Inbound Parse post whose fields are, one by one, left out, swapped for hostile values or for bytes that are not text.</summary>
    private static MultipartFormDataContent MutatedMail(Random random, int n)
    {
        var fields = new Dictionary<string, byte[]?>
        {
            ["headers"] = Encoding.UTF8.GetBytes($"Message-ID: <fuzz-{n}@customer.example>\r\nFrom: Alice <alice@customer.example>\r\nSubject: help\r\nIn-Reply-To: <x@y>\r\nReferences: <a@b> <c@d>\r\n"),
            ["from"] = "Alice Chen <alice@customer.example>"u8.ToArray(),
            ["to"] = "support@exchange.example"u8.ToArray(),
            ["subject"] = "Withdrawal stuck"u8.ToArray(),
            ["text"] = "My withdrawal of 0.2 ETH is pending since yesterday."u8.ToArray(),
            ["html"] = "<p>My withdrawal</p>"u8.ToArray(),
            ["envelope"] = "{\"to\":[\"support@exchange.example\"],\"from\":\"alice@customer.example\"}"u8.ToArray(),
            ["charsets"] = "{\"text\":\"UTF-8\",\"subject\":\"UTF-8\"}"u8.ToArray(),
            ["SPF"] = "pass"u8.ToArray(),
            ["dkim"] = "{@customer.example : pass}"u8.ToArray(),
            ["spam_score"] = "0.1"u8.ToArray(),
            ["attachments"] = "1"u8.ToArray(),
            ["attachment-info"] = "{\"attachment1\":{\"filename\":\"note.txt\",\"type\":\"text/plain\"}}"u8.ToArray(),
        };
        var hostile = new[]
        {
            ""u8.ToArray(), "<>"u8.ToArray(), "\"\" <@>"u8.ToArray(), "{"u8.ToArray(), "[1,2]"u8.ToArray(), "null"u8.ToArray(),
            "{\"text\":\"utf-7\",\"subject\":\"x-no-such-charset\",\"from\":\"UTF-16\"}"u8.ToArray(), [0xFF, 0xFE, 0x00, 0xD8, 0xC3, 0x28],
            Encoding.UTF8.GetBytes(new string('@', 20_000)), Encoding.UTF8.GetBytes("a\r\nBcc: victim@example.com\r\n"),
            "NaN"u8.ToArray(), "-1e400"u8.ToArray(), Encoding.UTF8.GetBytes("{\"attachment1\":" + new string('[', 500) + "}"),
        };
        foreach (var name in fields.Keys.ToList())
        {
            switch (random.Next(6))
            {
                case 0: fields[name] = null; break;
                case 1: fields[name] = hostile[random.Next(hostile.Length)]; break;
            }
        }

        var content = new MultipartFormDataContent("fuzz" + n);
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                content.Add(new ByteArrayContent(value), name);
            }
        }

        if (random.Next(2) == 0)
        {
            var file = new ByteArrayContent(random.Next(2) == 0 ? "seed words? no, just a note"u8.ToArray() : [0x4D, 0x5A, 0x90, 0x00]);
            file.Headers.ContentType = new MediaTypeHeaderValue(random.Next(2) == 0 ? "text/plain" : "application/octet-stream");
            content.Add(file, "attachment1", random.Next(2) == 0 ? "note.txt" : "..\\..\\" + new string('x', 300) + ".exe");
        }

        if (random.Next(4) == 0)
        {
            var raw = Encoding.UTF8.GetBytes($"From: {(random.Next(2) == 0 ? "<>" : "alice@customer.example")}\r\nMessage-ID: <raw-{n}@x>\r\nContent-Type: multipart/mixed; boundary=\"{new string('q', random.Next(1, 90))}\"\r\n\r\n--q\r\n\r\nbody");
            content.Add(new ByteArrayContent(raw), "email");
        }

        return content;
    }

    /// <summary>Waits for the worker to drain the urgency queues (bounded), then checks that no message went to a poison queue.</summary>
    private static async Task AssertNothingPoisonedAsync(IntakeHost host)
    {
        var queues = new QueueServiceClient(host.ConnectionString);
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var pending = 0;
            foreach (var urgency in TicketQueues.ByPriority)
            {
                var queue = queues.GetQueueClient(host.Prefix + "-" + TicketQueues.NameFor(urgency));
                pending += await queue.ExistsAsync(Cancellation) ? (await queue.GetPropertiesAsync(Cancellation)).Value.ApproximateMessagesCount : 0;
            }

            if (pending == 0)
            {
                break;
            }

            await Task.Delay(500, Cancellation);
        }

        foreach (var urgency in Enum.GetValues<Urgency>())
        {
            var poison = queues.GetQueueClient(host.Prefix + "-" + TicketQueues.PoisonNameFor(urgency));
            if (await poison.ExistsAsync(Cancellation))
            {
                Assert.Empty((await poison.PeekMessagesAsync(32, Cancellation)).Value);
            }
        }
    }

    private static string Truncate(string body, int length = 300) => body.Length <= length ? body : body[..length] + "…";
}
