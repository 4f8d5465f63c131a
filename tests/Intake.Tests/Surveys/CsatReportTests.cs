using System.Net;
using System.Text.Json;
using Intake.Surveys;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Surveys;

public sealed class CsatReportTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static SurveyRecord Survey(string day, string channel, string category, OutboundStatus delivery, int? score) =>
        new(TicketIds.NewId(TimeProvider.System), DateTimeOffset.ParseExact(day + " 12:00 +00:00", "yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture),
            channel, category, "en", delivery, score, null, score is null ? null : DateTimeOffset.UtcNow);

    private static async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(HttpClient client, string query, string? key = ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/metrics/csat" + query, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        using var response = await client.SendAsync(request, Cancellation);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static void AssertFigures(JsonElement figures, int sent, int answered, int satisfied, double? csat, double? responseRate)
    {
        Assert.Equal(sent, figures.GetProperty("sent").GetInt32());
        Assert.Equal(answered, figures.GetProperty("answered").GetInt32());
        Assert.Equal(satisfied, figures.GetProperty("satisfied").GetInt32());
        Assert.Equal(csat, figures.GetProperty("csat").ValueKind == JsonValueKind.Null ? null : figures.GetProperty("csat").GetDouble());
        Assert.Equal(responseRate, figures.GetProperty("responseRate").ValueKind == JsonValueKind.Null ? null : figures.GetProperty("responseRate").GetDouble());
    }

    [Fact]
    public async Task The_report_counts_the_days_asked_for_overall_by_channel_and_by_category()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        var store = host.Services.GetRequiredService<SurveyStore>();
        SurveyRecord[] seeded =
        [
            Survey("2026-03-01", "telegram", "withdrawal", OutboundStatus.Sent, 5),
            Survey("2026-03-01", "telegram", "withdrawal", OutboundStatus.Sent, 2),
            Survey("2026-03-01", "email", "deposit", OutboundStatus.Sent, null),
            Survey("2026-03-02", "email", "deposit", OutboundStatus.Sent, 4),
            Survey("2026-03-02", "whatsapp", "general", OutboundStatus.WindowClosed, null),

            // Outside the range on either side.
            Survey("2026-02-28", "email", "deposit", OutboundStatus.Sent, 1),
            Survey("2026-03-03", "telegram", "withdrawal", OutboundStatus.Sent, 1),
        ];
        foreach (var survey in seeded)
        {
            await store.PutAsync(survey, Cancellation);
        }

        using var client = host.CreateClient();
        var (status, report) = await GetAsync(client, "?from=2026-03-01&to=2026-03-02");

        // By hand: sent 4 (the WhatsApp one never went out), answered 3 (5, 2, 4), satisfied 2 (5, 4).
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2026-03-01", report.GetProperty("from").GetString());
        Assert.Equal("2026-03-02", report.GetProperty("to").GetString());
        AssertFigures(report.GetProperty("overall"), 4, 3, 2, 0.6667, 0.75);
        AssertFigures(report.GetProperty("byChannel").GetProperty("telegram"), 2, 2, 1, 0.5, 1.0);
        AssertFigures(report.GetProperty("byChannel").GetProperty("email"), 2, 1, 1, 1.0, 0.5);
        AssertFigures(report.GetProperty("byChannel").GetProperty("whatsapp"), 0, 0, 0, null, null);
        AssertFigures(report.GetProperty("byCategory").GetProperty("withdrawal"), 2, 2, 1, 0.5, 1.0);
        AssertFigures(report.GetProperty("byCategory").GetProperty("deposit"), 2, 1, 1, 1.0, 0.5);
        AssertFigures(report.GetProperty("byCategory").GetProperty("general"), 0, 0, 0, null, null);
    }

    [Fact]
    public async Task Without_a_range_the_report_covers_the_last_30_days()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var (status, report) = await GetAsync(client, "");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), report.GetProperty("to").GetString());
        Assert.Equal(today.AddDays(-29).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), report.GetProperty("from").GetString());
        AssertFigures(report.GetProperty("overall"), 0, 0, 0, null, null);
    }

    [Fact]
    public async Task The_report_needs_the_api_key()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "", key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "", key: "wrong-key")).Status);
    }

    [Theory]
    [InlineData("?from=2026-03-05&to=2026-03-01", "from")]
    [InlineData("?from=2026-01-01&to=2026-04-03", "to")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=2026-13-01", "to")]
    public async Task A_bad_range_is_a_400_problem(string query, string field)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();

        var (status, problem) = await GetAsync(client, query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public void Ninety_two_days_is_the_longest_range()
    {
        var today = new DateOnly(2026, 6, 1);

        Assert.NotNull(MetricsEndpoints.Range("2026-01-01", "2026-04-02", today).Range);
        Assert.Null(MetricsEndpoints.Range("2026-01-01", "2026-04-03", today).Range);
        Assert.Equal((today.AddDays(-29), today), MetricsEndpoints.Range(null, null, today).Range);
    }
}
