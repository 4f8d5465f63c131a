using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Intake.Channels.Meta;
using Intake.Channels.Telegram;
using Intake.Channels.X;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Web;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a stranger's malformed request (random bytes, invalid UTF-8, JSON nested or sized to exhaust a parser, the
/// wrong content type, hostile multipart, oversize headers or paths) crashes a handler into a 500, which webhook
/// providers retry forever, or slips past a check and stores something. Control: every public endpoint, enumerated from
/// the running server's routing table so that a new route is fuzzed without anyone remembering to, answers such requests
/// with a 4xx and stores nothing — including behind valid credentials and signatures, where the parsers are reached.
/// The cases are seeded: set <c>INTAKE_FUZZ_SEED</c> to replay a failure, <c>INTAKE_FUZZ_ROUNDS</c> for more random rounds.
/// </summary>
public sealed class EndpointFuzzTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string InboundUser = "parse";
    private const string InboundPassword = "fuzz-inbound-password";
    private const string TelegramSecret = "fuzz-telegram-secret";
    private const string MetaSecret = "fuzz-meta-app-secret";
    private const string MetaVerifyToken = "fuzz-meta-verify";
    private const string XSecret = "fuzz-x-consumer-secret";
    private const string ApiKey = "fuzz-agent-key-0123456789abcdefghijklmnop";

    private readonly ChannelFakes fakes = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await fakes.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await fakes.DisposeAsync();

    private Dictionary<string, string> Settings() => fakes.Settings(TelegramSecret, MetaSecret, MetaVerifyToken, XSecret, new()
    {
        ["SendGrid:InboundUser"] = InboundUser,
        ["SendGrid:InboundPassword"] = InboundPassword,
        ["Intake:ApiKeys:fuzz"] = ApiKey,
        ["WebForm:SubmissionsPerAddress"] = "10000",
        ["WebForm:SubmissionsPerWindow"] = "10000",
    });

    [Fact]
    public async Task Every_endpoint_answers_hostile_requests_with_a_4xx_and_stores_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("INTAKE_FUZZ_SEED"), out var given) ? given : 20261204;
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("INTAKE_FUZZ_ROUNDS"), out var r) ? r : 12;
        await using var host = await IntakeHost.StartAsync(azurite, Settings(), kestrel: true);
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var routes = Routes(host);
        Assert.NotEmpty(routes);

        var failures = new List<string>();
        var sent = 0;
        foreach (var (method, pattern) in routes)
        {
            var random = new Random(HashCode.Combine(seed, method, pattern));
            foreach (var request in Cases(method, pattern, random, rounds))
            {
                sent++;
                var status = await SendAsync(client, request);
                if (status >= 500 || (request.MustBe4xx && status is < 400 or >= 500))
                {
                    failures.Add($"{method} {pattern} [{request.Name}] → {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {sent} requests answered wrongly:\n" + string.Join('\n', failures.Take(40)));
        Assert.Empty(await StoredAsync(host));
        Assert.Equal(0, fakes.RequestCount);
    }

    [Fact]
    public async Task Oversize_headers_and_paths_get_a_4xx_from_every_endpoint()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings(), kestrel: true);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var failures = new List<string>();
        foreach (var (method, pattern) in Routes(host))
        {
            var path = Fill(pattern, new Random(1), "T-ABC234");
            using (var oneHuge = new HttpRequestMessage(new HttpMethod(method), path))
            {
                oneHuge.Headers.TryAddWithoutValidation("X-Filler", new string('a', 70_000));
                Check(await StatusAsync(client, oneHuge), "a 70 KB header");
            }

            using (var many = new HttpRequestMessage(new HttpMethod(method), path))
            {
                for (var i = 0; i < 200; i++)
                {
                    many.Headers.TryAddWithoutValidation($"X-Filler-{i}", new string('b', 300));
                }

                Check(await StatusAsync(client, many), "200 headers of 300 bytes");
            }

            using (var longPath = new HttpRequestMessage(new HttpMethod(method), path + "?q=" + new string('c', 40_000)))
            {
                Check(await StatusAsync(client, longPath), "a 40 KB query string");
            }

            void Check(int status, string what)
            {
                if (status is < 400 or >= 500)
                {
                    failures.Add($"{method} {pattern} with {what} → {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Empty(await StoredAsync(host));
    }

    /// <summary>Every route of the running server with each method it answers, as a client would see them.</summary>
    private static List<(string Method, string Pattern)> Routes(IntakeHost host)
    {
        var routes = new List<(string, string)>();
        foreach (var endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            foreach (var method in methods)
            {
                routes.Add((method, "/" + endpoint.RoutePattern.RawText!.TrimStart('/')));
            }
        }

        return [.. routes.Distinct().OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.Item1, StringComparer.Ordinal)];
    }

    private sealed record FuzzRequest(string Name, string Method, string Path, byte[]? Body, string? ContentType, bool Credentials, bool MustBe4xx);

    /// <summary>The fixed hostile cases for a route, then <paramref name="rounds"/> random ones; each with and without credentials.</summary>
    private static IEnumerable<FuzzRequest> Cases(string method, string pattern, Random random, int rounds)
    {
        var hasBody = method is "POST" or "PATCH" or "PUT";
        var bodies = new List<(string Name, byte[]? Body, string? Type, bool Malformed)>();
        if (hasBody)
        {
            bodies.Add(("empty body, no type", null, null, true));
            bodies.Add(("invalid UTF-8 as JSON", [0x7B, 0x22, 0x6D, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D], "application/json", false));
            bodies.Add(("invalid UTF-8 as form", [0x6D, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x3D, 0xC3, 0x28, 0xFF], "application/x-www-form-urlencoded", true));
            bodies.Add(("deep JSON", Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000)), "application/json", true));
            bodies.Add(("deep JSON object", Encoding.UTF8.GetBytes(Deep(5_000)), "application/json", true));
            bodies.Add(("huge JSON string", Encoding.UTF8.GetBytes("{\"message\":\"" + new string('x', 2_000_000) + "\"}"), "application/json", true));
            bodies.Add(("truncated JSON", "{\"message\":\"help\",\"email\":"u8.ToArray(), "application/json", true));

            // JSON objects that no endpoint can take as a message: a signed webhook may rightly answer 200 and ignore them.
            bodies.Add(("JSON of the wrong types", "{\"message\":[1,2],\"score\":{\"a\":1},\"text\":12e999999,\"agent\":null}"u8.ToArray(), "application/json", false));
            bodies.Add(("lone surrogates", "{\"name\":\"\\ud800\\udc00\\ud800 x\",\"comment\":\"\\udfff\",\"object\":\"\\ud800\"}"u8.ToArray(), "application/json", false));
            bodies.Add(("NUL bytes", "{\"mess\0age\":\"a\0b\"}"u8.ToArray(), "application/json", false));
            bodies.Add(("JSON as text/plain", "{\"message\":\"help\"}"u8.ToArray(), "text/plain", false));
            bodies.Add(("XML", "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY b \"c\">]><a>&b;</a>"u8.ToArray(), "application/xml", true));
            bodies.Add(("a bad content type", "x"u8.ToArray(), "application/json; charset=\"", true));
            bodies.Add(("multipart without boundary", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--"u8.ToArray(), "multipart/form-data", true));
            bodies.Add(("multipart with a huge boundary", Multipart(new string('b', 5_000), 1, 10), $"multipart/form-data; boundary={new string('b', 5_000)}", true));
            bodies.Add(("unterminated multipart", "--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello"u8.ToArray(), "multipart/form-data; boundary=zz", true));
            bodies.Add(("multipart of 20,000 parts", Multipart("p", 20_000, 1), "multipart/form-data; boundary=p", true));
            bodies.Add(("multipart with a 200 KB part header", HugePartHeader(), "multipart/form-data; boundary=h", true));
            bodies.Add(("nested multipart", NestedMultipart(), "multipart/form-data; boundary=outer", true));
            bodies.Add(("a 40 MB body", new byte[40 * 1024 * 1024], "application/octet-stream", true));
        }
        else
        {
            bodies.Add(("no body", null, null, false));
        }

        for (var i = 0; i < rounds && hasBody; i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            var type = random.Next(5) switch
            {
                0 => "application/json",
                1 => "application/x-www-form-urlencoded",
                2 => "multipart/form-data; boundary=" + RandomToken(random, 10),
                3 => "text/plain; charset=utf-16",
                _ => null,
            };

            // A leading byte that no JSON, form, multipart or MIME message starts with keeps a random body malformed.
            bytes[0] = 0xFF;
            bodies.Add(($"random bytes #{i}", bytes, type, true));
        }

        var paths = new List<string> { Fill(pattern, random, "T-ABC234") };
        foreach (var hostile in new[] { "%00", "..%2F..%2Fetc%2Fpasswd", new string('z', 4_000), "%F0%9F%92%A9%ED%A0%80", "T-%C0%AF" })
        {
            if (pattern.Contains('{', StringComparison.Ordinal))
            {
                paths.Add(Fill(pattern, random, hostile));
            }
        }

        foreach (var path in paths)
        {
            foreach (var (name, body, type, malformed) in bodies)
            {
                // The large bodies once per route, with credentials: what they test is the size check, not the path.
                var large = body is { Length: > 1024 * 1024 };
                if (large && path != paths[0])
                {
                    continue;
                }

                foreach (var credentials in large ? [true] : new[] { true, false })
                {
                    yield return new FuzzRequest(name + (credentials ? " (authenticated)" : "") + (path.Length > 200 ? " (long path)" : ""), method, path, body, type, credentials, malformed);
                }
            }
        }

        if (method == "GET")
        {
            var query = Fill(pattern, random, "T-ABC234") + "?crc_token=%7B%22a%22%3A1%7D&hub.mode=subscribe&hub.verify_token=x&hub.challenge=%3Cscript%3E&token=" + RandomToken(random, 80)
                + "&lang=%00&status=nope&urgency=nope&pageSize=-1&continuationToken=%FF";
            yield return new FuzzRequest("hostile query", method, query, null, null, Credentials: true, MustBe4xx: false);
        }
    }

    private static string Fill(string pattern, Random random, string value)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            if (pattern[i] == '{')
            {
                var end = pattern.IndexOf('}', i);
                result.Append(value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value));
                i = end + 1;
            }
            else
            {
                result.Append(pattern[i++]);
            }
        }

        _ = random;
        return result.ToString();
    }

    private static async Task<int> SendAsync(HttpClient client, FuzzRequest fuzz)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Path);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }

        if (fuzz.Credentials)
        {
            var body = fuzz.Body ?? [];
            request.Headers.TryAddWithoutValidation(AgentKeys.Header, ApiKey);
            request.Headers.TryAddWithoutValidation(TelegramEndpoints.SecretTokenHeader, TelegramSecret);
            request.Headers.TryAddWithoutValidation(MetaEndpoints.SignatureHeader, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(MetaSecret), body)));
            request.Headers.TryAddWithoutValidation(XSignatures.SignatureHeader, "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(XSecret), body)));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{InboundUser}:{InboundPassword}")));
        }

        return await StatusAsync(client, request);
    }

    private static async Task<int> StatusAsync(HttpClient client, HttpRequestMessage request)
    {
        try
        {
            using var response = await client.SendAsync(request, Cancellation);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server may close the connection on a request it refuses before reading its body (a 413 sent early):
            // that is a refusal, not a crash, and the server's answer was a 4xx the client could not read back.
            return 499;
        }
    }

    /// <summary>What the host stored: rows of every table, messages of every queue, blobs of every container under its prefix.</summary>
    private static async Task<List<string>> StoredAsync(IntakeHost host)
    {
        var stored = new List<string>();
        var tables = new TableServiceClient(host.ConnectionString);
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(host.Prefix) >= 0 && t.Name.CompareTo(host.Prefix + "~") < 0, cancellationToken: Cancellation))
        {
            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: Cancellation))
            {
                stored.Add($"{table.Name}: {row.PartitionKey} / {row.RowKey}");
            }
        }

        var queues = new QueueServiceClient(host.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: host.Prefix, cancellationToken: Cancellation))
        {
            var peeked = await queues.GetQueueClient(queue.Name).PeekMessagesAsync(1, Cancellation);
            if (peeked.Value.Length > 0)
            {
                stored.Add($"queue {queue.Name}: a message");
            }
        }

        var blobs = new BlobServiceClient(host.ConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: host.Prefix, cancellationToken: Cancellation))
        {
            await foreach (var blob in blobs.GetBlobContainerClient(container.Name).GetBlobsAsync(cancellationToken: Cancellation))
            {
                stored.Add($"blob {container.Name}/{blob.Name}");
            }
        }

        return stored;
    }

    private static string Deep(int depth)
    {
        var json = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            json.Append("{\"message\":");
        }

        json.Append("\"x\"");
        json.Append('}', depth);
        return json.ToString();
    }

    private static byte[] Multipart(string boundary, int parts, int valueLength)
    {
        var body = new StringBuilder();
        for (var i = 0; i < parts; i++)
        {
            body.Append("--").Append(boundary).Append("\r\nContent-Disposition: form-data; name=\"f").Append(i).Append("\"\r\n\r\n").Append('v', valueLength).Append("\r\n");
        }

        body.Append("--").Append(boundary).Append("--\r\n");
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private static byte[] HugePartHeader() =>
        Encoding.UTF8.GetBytes("--h\r\nContent-Disposition: form-data; name=\"text\"; filename=\"" + new string('n', 200_000) + "\"\r\n\r\nhello\r\n--h--\r\n");

    private static byte[] NestedMultipart() => Encoding.UTF8.GetBytes(
        "--outer\r\nContent-Disposition: form-data; name=\"email\"\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n" +
        "--inner\r\nContent-Type: multipart/mixed; boundary=inner2\r\n\r\n--inner2\r\n\r\nx\r\n--inner2--\r\n--inner--\r\n--outer--\r\n");

    private static string RandomToken(Random random, int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }
}
