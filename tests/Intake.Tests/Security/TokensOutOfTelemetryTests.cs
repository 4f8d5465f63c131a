using Intake.Functions;
using Intake.Surveys;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Tests.Security;

/// <summary>
/// Tokens must not reach telemetry. Application Insights keeps every request's path (it strips only the query), and the
/// worker's dependency tracking records every outgoing URL whole: a survey token in the link's path, or the Telegram bot
/// token in the Bot API's path, would be stored in Azure for anyone with read access to the logs.
/// </summary>
public sealed class TokensOutOfTelemetryTests
{
    [Fact]
    public void A_survey_link_carries_its_token_in_the_query_never_in_the_path()
    {
        const string token = "01KAR7M3ZQ5V8X2N4P6RW7K2QX.1764900000.4.c2lnbmF0dXJl";

        var link = new Uri(SurveyDesk.Url("https://intake.example/", token));

        Assert.Equal("/api/surveys", link.AbsolutePath);
        Assert.DoesNotContain(token, link.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("?token=" + Uri.EscapeDataString(token), link.Query);
    }

    [Fact]
    public void The_worker_telemetry_never_carries_a_bot_token_or_a_link_token()
    {
        using var host = Composed();
        var telemetry = host.Services.GetRequiredService<Microsoft.ApplicationInsights.Extensibility.TelemetryConfiguration>();
        var dependency = new Microsoft.ApplicationInsights.DataContracts.DependencyTelemetry(
            "Http", "api.telegram.org", "POST /bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
            "https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage");
        var request = new Microsoft.ApplicationInsights.DataContracts.RequestTelemetry(
            "GET /api/surveys", DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(5), "200", success: true)
        {
            Url = new Uri("https://intake.example/api/surveys?token=01KAR7M3ZQ.1764900000.4.c2lnbmF0dXJl&lang=ru"),
        };

        foreach (var initializer in telemetry.TelemetryInitializers)
        {
            initializer.Initialize(dependency);
            initializer.Initialize(request);
        }

        Assert.Equal("https://api.telegram.org/bot***/sendMessage", dependency.Data);
        Assert.Equal("POST /bot***/sendMessage", dependency.Name);
        Assert.Equal("https://intake.example/api/surveys?token=***&lang=ru", request.Url.OriginalString);
    }

    [Theory]
    [InlineData("https://graph.facebook.com/v25.0/me/messages?access_token=EAAG", "https://graph.facebook.com/v25.0/me/messages?access_token=***")]
    [InlineData("https://intake.example/api/tickets?code=abc123&status=open", "https://intake.example/api/tickets?code=***&status=open")]
    [InlineData("https://intake.example/support/status/T-W7K2QX?token=1767225600.abc", "https://intake.example/support/status/T-W7K2QX?token=***")]
    [InlineData("/api/intake/x?crc_token=challenge", "/api/intake/x?crc_token=***")]
    [InlineData("https://api.sendgrid.com/v3/mail/send", "https://api.sendgrid.com/v3/mail/send")]
    public void Credentials_in_urls_are_masked(string url, string expected)
    {
        Assert.Equal(expected, TelemetryRedaction.Redact(url));
    }

    /// <summary>The Functions app composed as Main composes it; nothing connects until it starts.</summary>
    private static IHost Composed()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["ServiceBusConnection"] = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
        });
        builder.AddIntakeFunctions();
        return builder.Build();
    }
}
