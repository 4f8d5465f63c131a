using System.Net;
using System.Text.RegularExpressions;
using Intake.Surveys;
using Intake.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Surveys;

/// <summary><c>Surveys:SigningKey</c> when set, else a key derived from <c>Intake:SigningKey</c> (the host sets only the latter).</summary>
public sealed partial class SurveySigningKeyTests(AzuriteFixture azurite)
{
    private const string IntakeKey = "test-signing-key-of-at-least-32-characters";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"https://support\.example/api/surveys\?token=(\S+)")]
    private static partial Regex Link();

    private static async Task<(string TicketId, string Token)> ResolvedWithLinkAsync(IntakeHost host, HttpClient client)
    {
        var submitted = await SubmitAsync(client, "How do I change my withdrawal address?");
        await WaitForOutboundAsync(client, submitted.TicketId, "acknowledgement");
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, submitted.TicketId)).Status);
        await WaitForOutboundAsync(client, submitted.TicketId, "survey");
        var mail = host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == submitted.TicketId);
        return (submitted.TicketId, Link().Match(mail.Text!).Groups[1].Value);
    }

    private static async Task<HttpStatusCode> PostScoreAsync(HttpClient client, string token, string score)
    {
        using var form = new FormUrlEncodedContent([new("score", score), new("comment", "")]);
        using var response = await client.PostAsync(new Uri("/api/surveys?token=" + token, UriKind.Relative), form, Cancellation);
        return response.StatusCode;
    }

    [Fact]
    public async Task Without_a_survey_key_links_are_signed_with_the_key_derived_from_the_intake_key_and_accepted()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Intake:PublicBaseUrl"] = "https://support.example" }));
        using var client = host.CreateClient();
        var (ticketId, token) = await ResolvedWithLinkAsync(host, client);
        var survey = await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation);

        var status = await PostScoreAsync(client, token, "4");

        Assert.Equal(new SurveyTokens(SurveyTokens.DeriveKey(IntakeKey)).Create(ticketId, survey!.SentAt), token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, (await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation))!.Score);
    }

    [Fact]
    public async Task With_a_survey_key_a_token_signed_with_the_derived_key_is_refused()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new()
        {
            ["Intake:PublicBaseUrl"] = "https://support.example",
            ["Surveys:SigningKey"] = "survey-own-signing-key-of-at-least-32-chars",
        }));
        using var client = host.CreateClient();
        var (ticketId, token) = await ResolvedWithLinkAsync(host, client);
        var surveys = host.Services.GetRequiredService<SurveyStore>();
        var derived = new SurveyTokens(SurveyTokens.DeriveKey(IntakeKey)).Create(ticketId, (await surveys.FindForTicketAsync(ticketId, Cancellation))!.SentAt);
        Assert.NotEqual(token, derived);

        using var page = await client.GetAsync(new Uri("/api/surveys?token=" + derived, UriKind.Relative), Cancellation);
        var refused = await PostScoreAsync(client, derived, "1");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, refused);
        Assert.False((await surveys.FindForTicketAsync(ticketId, Cancellation))!.Answered);
        Assert.Equal(HttpStatusCode.OK, await PostScoreAsync(client, token, "5"));
    }
}
