using System.Net;
using System.Net.Http.Json;
using System.Text;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Mvc;
using static Intake.Tests.Channels.Meta.MetaFixtures;

namespace Intake.Tests.Channels.Meta;

/// <summary>The handshake, and what the webhook refuses or accepts without storing anything: never a ticket, never a call out.</summary>
public sealed class MetaRejectionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string WebhookPath = "/api/intake/meta";

    private readonly FakeGraph graph = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await graph.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await graph.DisposeAsync();

    private Task<IntakeHost> StartHostAsync(Dictionary<string, string>? settings = null) =>
        IntakeHost.StartAsync(azurite, settings ?? graph.Settings(AppSecret, VerifyToken));

    private static async Task<(HttpStatusCode Status, ProblemDetails? Problem)> PostAsync(HttpClient client, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(WebhookPath, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        }

        using var response = await client.SendAsync(request, Cancellation);
        return (response.StatusCode, await ProblemAsync(response));
    }

    private static async Task<ProblemDetails?> ProblemAsync(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? await response.Content.ReadFromJsonAsync<ProblemDetails>(Cancellation) : null;

    private static Uri Handshake(string? mode, string? token, string? challenge)
    {
        var query = new List<string>();
        if (mode is not null)
        {
            query.Add("hub.mode=" + Uri.EscapeDataString(mode));
        }

        if (challenge is not null)
        {
            query.Add("hub.challenge=" + Uri.EscapeDataString(challenge));
        }

        if (token is not null)
        {
            query.Add("hub.verify_token=" + Uri.EscapeDataString(token));
        }

        return new Uri(WebhookPath + "?" + string.Join('&', query), UriKind.Relative);
    }

    [Fact]
    public async Task The_handshake_with_our_verify_token_answers_the_challenge_as_text()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(Handshake("subscribe", VerifyToken, "1158201444"), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Theory]
    [InlineData("subscribe", "wrong-token")]
    [InlineData("subscribe", "")]
    [InlineData("subscribe", null)]
    [InlineData("unsubscribe", VerifyToken)]
    [InlineData(null, VerifyToken)]
    public async Task A_handshake_with_the_wrong_token_or_mode_gets_403(string? mode, string? token)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(Handshake(mode, token, "1158201444"), Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(403, (await ProblemAsync(response))?.Status);
        Assert.DoesNotContain("1158201444", await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("<script>alert(1)</script>")]
    public async Task A_handshake_without_a_plain_challenge_gets_400(string? challenge)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(Handshake("subscribe", VerifyToken, challenge), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task Without_both_app_secret_and_verify_token_the_webhook_is_off(bool appSecret, bool verifyToken)
    {
        var settings = graph.Settings(appSecret ? AppSecret : "", verifyToken ? VerifyToken : "");
        await using var host = await StartHostAsync(settings);
        using var client = host.CreateClient();
        var body = Messenger(TextEvent("m_off", "my withdrawal is stuck"));

        using var handshake = await client.GetAsync(Handshake("subscribe", VerifyToken, "42"), Cancellation);
        var (status, problem) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.NotFound, handshake.StatusCode);
        Assert.Equal(404, (await ProblemAsync(handshake))?.Status);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    private const string Missing = "(no header)";

    private const string SignedBody = """{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"6543210987654321"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m_forged","text":"my withdrawal is stuck"}}]}]}""";

    /// <summary>What an attacker might send in <c>X-Hub-Signature-256</c>; <see cref="Missing"/> stands for no header at all.</summary>
    public static TheoryData<string> Forged =>
    [
        Missing,
        "",
        "sha256=",
        "sha256=" + new string('0', 64),
        Sign(SignedBody, AppSecret + "x"),
        Sign(SignedBody + " "),
        Sign(SignedBody).Replace("sha256=", "sha1=", StringComparison.Ordinal),
        Sign(SignedBody)[..^2],
        Sign(SignedBody) + "00",
        "sha256=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('a', 32))),
    ];

    [Theory]
    [MemberData(nameof(Forged))]
    public async Task A_forged_or_missing_signature_gets_401_and_nothing_is_stored(string signature)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var (status, problem) = await PostAsync(client, SignedBody, signature == Missing ? null : signature);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
        await Task.Delay(300, Cancellation);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task The_same_body_correctly_signed_is_accepted()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var (status, _) = await PostAsync(client, SignedBody, Sign(SignedBody));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"object":"page"}""")]
    [InlineData("""{"entry":[]}""")]
    [InlineData("""{"object":"page","entry":"x"}""")]
    public async Task A_signed_body_that_is_not_a_delivery_gets_400_and_nothing_is_stored(string body)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var (status, problem) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_body_over_one_megabyte_gets_413()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var body = Messenger(TextEvent("m_big", new string('a', 1024 * 1024)));

        var (status, problem) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("""{"object":"user","entry":[{"id":"1","time":1,"changes":[{"field":"email","value":"x"}]}]}""")]
    [InlineData("""{"object":"permissions","entry":[]}""")]
    [InlineData("""{"object":"page","entry":[]}""")]
    [InlineData("""{"object":"page","entry":[{"id":"1","time":1,"changes":[{"field":"feed","value":{}}]}]}""")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{}}]}]}""")]
    [InlineData("""{"object":"instagram","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"5"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"ig_del","is_deleted":true}}]}]}""")]
    public async Task A_delivery_we_do_not_handle_gets_200_and_nothing_is_stored(string body)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var (status, _) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, await host.CountTicketsAsync());
        Assert.Empty(graph.Requests);
    }
}
