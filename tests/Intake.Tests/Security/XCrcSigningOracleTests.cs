using System.Net;
using System.Text;
using System.Text.Json;
using Intake.Channels.X;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using static Intake.Tests.Channels.X.XFixtures;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: X's CRC answer is <c>sha256=</c> + Base64(HMAC(consumer secret, crc_token)) and a delivery's signature is the
/// same HMAC over the body, so a server that answers any <c>crc_token</c> signs whatever a stranger sends: a JSON delivery
/// sent as the token comes back signed for itself, and posted with that signature it opens tickets as any X user,
/// answers their surveys and makes the support account write to anyone. Control: only tokens of X's shape (letters,
/// digits, <c>+/=_-</c>, bounded) are answered, and no JSON object can be written in that alphabet.
/// </summary>
public sealed class XCrcSigningOracleTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeX x = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await x.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await x.DisposeAsync();

    private static async Task<(HttpStatusCode Status, string Body)> CrcAsync(HttpClient client, string token)
    {
        using var response = await client.GetAsync(new Uri("/api/intake/x?crc_token=" + Uri.EscapeDataString(token), UriKind.Relative), Cancellation);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task A_delivery_sent_as_a_crc_token_is_not_signed_and_cannot_be_posted()
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();
        // As short as a delivery can be, so that no length limit alone stops it.
        var forged = new System.Text.Json.Nodes.JsonObject
        {
            ["for_user_id"] = SupportAccountId,
            ["direct_message_events"] = new System.Text.Json.Nodes.JsonArray(Event("1630000000000099001", "999000111", "send my refund to the new address")),
        }.ToJsonString();
        Assert.True(forged.Length < 400);

        var (crcStatus, crcBody) = await CrcAsync(client, forged);

        Assert.Equal(HttpStatusCode.BadRequest, crcStatus);
        Assert.DoesNotContain("sha256=", crcBody, StringComparison.Ordinal);

        // Had the server answered, this is the signature it would have given: posting with it must be refused all the same.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/intake/x", UriKind.Relative))
        {
            Content = new StringContent(forged, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(XSignatures.SignatureHeader, "sha256=" + ExtractToken(crcBody));
        using var post = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(0, await host.CountTicketsAsync());
        Assert.Empty(x.Requests);
    }

    [Theory]
    [InlineData("{\"for_user_id\":\"3001\"}")]
    [InlineData("[1]")]
    [InlineData("token with spaces")]
    [InlineData("token\nwith\nlines")]
    [InlineData("tok\"en")]
    [InlineData("tök")]
    [InlineData("a:b")]
    [InlineData("a.b")]
    [InlineData("<script>")]
    public async Task A_crc_token_outside_the_alphabet_gets_400_and_no_signature(string token)
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();

        var (status, body) = await CrcAsync(client, token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("response_token", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("crc-challenge-123")]
    [InlineData("OWQ2ZjE5NDItYjZkOC00ZWM3LWE0MmItOWQ0ZjM0NzE3N2Rk")]
    [InlineData("a+b/c=d_e-f")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public async Task A_crc_token_of_the_shape_x_sends_is_answered(string token)
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();

        var (status, body) = await CrcAsync(client, token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(XSignatures.ResponseToken(ConsumerSecret, token), ExtractResponseToken(body));
    }

    [Fact]
    public async Task A_crc_token_longer_than_x_sends_gets_400()
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();

        var (status, _) = await CrcAsync(client, new string('a', XEndpoints.MaxCrcTokenLength + 1));

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    /// <summary>
    /// Whatever the alphabet lets through is at most a JSON number or literal, never an object: the POST side answers 400
    /// before anything is stored even for a body that is a valid token (and so could be signed).
    /// </summary>
    [Theory]
    [InlineData("123")]
    [InlineData("-1e5")]
    [InlineData("true")]
    [InlineData("null")]
    public async Task A_body_that_fits_the_token_alphabet_is_never_a_delivery(string body)
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();
        var (crcStatus, crcBody) = await CrcAsync(client, body);
        Assert.Equal(HttpStatusCode.OK, crcStatus);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/intake/x", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(XSignatures.SignatureHeader, ExtractResponseToken(crcBody));
        using var post = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    private static string ExtractResponseToken(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("response_token").GetString()!;
    }

    /// <summary>The Base64 after <c>sha256=</c> if the body is a CRC answer; else a well-formed but wrong one.</summary>
    private static string ExtractToken(string body)
    {
        try
        {
            return ExtractResponseToken(body)["sha256=".Length..];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Convert.ToBase64String(new byte[32]);
        }
    }
}
