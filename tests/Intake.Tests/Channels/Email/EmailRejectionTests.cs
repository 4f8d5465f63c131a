using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Channels.Email;

/// <summary>What the email webhook refuses: ProblemDetails, and nothing stored.</summary>
public sealed class EmailRejectionTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_inbound_credentials_the_channel_is_off_and_answers_404()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = Client(host);

        using var response = await client.PostAsync(Endpoint, Parsed("How do I enable 2FA?"), Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    public static TheoryData<string> ForgedCredentials =>
    [
        "",
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:wrong-password")),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"someone:{Password}")),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}x")),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + Password)),
        "Basic not-base64!",
        "Bearer " + Password,
    ];

    [Theory]
    [MemberData(nameof(ForgedCredentials))]
    public async Task Missing_or_forged_credentials_get_401_with_a_basic_challenge_and_store_nothing(string authorization)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = Parsed("My withdrawal is stuck.") };
        if (authorization.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"intake\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(Password, await response.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task Anything_but_multipart_form_data_gets_415()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        using var response = await client.PostAsync(Endpoint, new StringContent("""{"from":"a@b.example"}""", Encoding.UTF8, "application/json"), Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string> MalformedPosts => new()
    {
        // Truncated: no closing boundary.
        { "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nalice@customer.example" },
        // No boundary parameter at all.
        { "multipart/form-data", "--xyz\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nalice@customer.example\r\n--xyz--\r\n" },
        // A part without a name.
        { "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data\r\n\r\nalice\r\n--xyz--\r\n" },
        // Neither email nor from.
        { "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello\r\n--xyz--\r\n" },
        // Raw mode with nothing MIME in it.
        { "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n\r\n--xyz--\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedPosts))]
    public async Task A_malformed_post_gets_400_problem_details_and_stores_nothing(string contentType, string body)
    {
        using var logs = new CapturedLogs();
        await using var host = await IntakeHost.StartAsync(azurite, Settings(), logs: logs);
        using var client = Client(host);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.PostAsync(Endpoint, content, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.CountTicketsAsync());
        var line = Assert.Single(logs.Lines, l => l.Contains("Email refused with 400: ", StringComparison.Ordinal));
        Assert.Matches(@"^Warning \S+: Email refused with 400: (MalformedForm|NoMail|NotMime) $", line);
    }

    [Fact]
    public async Task A_post_over_30_megabytes_gets_413_and_stores_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        using var content = Parsed("Video attached.", attachments: [new("video.mp4", "video/mp4", new byte[(30 * 1024 * 1024) + 1])]);
        using var response = await client.PostAsync(Endpoint, content, Cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.CountTicketsAsync());
    }
}
