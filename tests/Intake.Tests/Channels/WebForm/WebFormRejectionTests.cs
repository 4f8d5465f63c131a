using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Intake.Tests.Integration;

namespace Intake.Tests.Channels.WebForm;

/// <summary>Bad input gets ProblemDetails and stores nothing.</summary>
public sealed class WebFormRejectionTests(AzuriteFixture azurite)
{
    private static readonly Uri Submit = new("/api/intake/web", UriKind.Relative);

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"email":"a@example.com"}""", "message" },
        { """{"message":"   "}""", "message" },
        { JsonSerializer.Serialize(new { message = new string('x', 10_001) }), "message" },
        { """{"message":"hi","email":"not an address"}""", "email" },
        { """{"message":"hi","email":"Eve <eve@example.com>"}""", "email" },
        { """{"message":"hi","reference":"T-ABC234"}""", "reference" },
        { """{"message":"hi","reference":"T-ABC234","token":"1.AAAA"}""", "reference" },
        { """{"message":"hi","reference":"../../etc","email":"a@example.com"}""", "reference" },
        { JsonSerializer.Serialize(new { message = "hi", name = new string('n', 201) }), "name" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Field_errors_get_a_validation_problem_and_store_nothing(string body, string field)
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsync(Submit, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}'");
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("{\"message\":")]
    [InlineData("[\"message\"]")]
    [InlineData("{\"message\":42}")]
    [InlineData("{\"message\":{\"nested\":\"x\"}}")]
    [InlineData("")]
    public async Task A_malformed_body_gets_400_problem_details(string body)
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsync(Submit, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task Over_64_kilobytes_gets_413()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();
        var body = JsonSerializer.Serialize(new { message = "hi", name = new string('x', 70_000) });

        using var response = await client.PostAsync(Submit, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/xml")]
    public async Task Other_content_types_get_415(string contentType)
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();
        using var content = new StringContent("message=hi");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.PostAsync(Submit, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_filled_honeypot_gets_202_and_nothing_is_stored()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsJsonAsync(Submit, new { message = "buy cheap followers", website = "http://spam.example" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, await host.CountTicketsAsync());
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(host.SendGrid.Requests);
    }

    [Fact]
    public async Task Past_the_rate_limit_gets_429_with_retry_after()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string>
        {
            ["WebForm:SubmissionsPerWindow"] = "2",
            ["WebForm:Window"] = "00:10:00",
        });
        using var client = host.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            using var ok = await client.PostAsJsonAsync(Submit, new { message = $"question {i}" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using var limited = await client.PostAsJsonAsync(Submit, new { message = "one more" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_bad_idempotency_key_gets_400()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Submit) { Content = JsonContent.Create(new { message = "hi" }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 201));

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await host.CountTicketsAsync());
    }
}
