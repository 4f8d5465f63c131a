using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Intake.Tests.Agents;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a survey comment (1,000 characters) and a thread's text (360,000) were cut to what is kept before triage read
/// them, so a recovery phrase across the cut kept 11 of its 12 words, unrecognised — leaving 2,048 candidates for the
/// last. Triage now reads a little past the cut (bounded, however long the text) and the redacted text is cut.
/// </summary>
public sealed partial class RedactBeforeCutTests(AzuriteFixture azurite)
{
    private const string Filler = "xq ";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Filler, then the phrase starting <paramref name="before"/> characters ahead of <paramref name="cut"/>, then more filler.</summary>
    private static string Across(int cut, int before, string[] words, int after = 400)
    {
        var text = new StringBuilder();
        while (text.Length < cut - before)
        {
            text.Append(Filler);
        }

        text.Length = cut - before;
        text.Append(' ').Append(string.Join(" ", words)).Append(' ');
        for (var i = 0; i < after / Filler.Length; i++)
        {
            text.Append(Filler);
        }

        return text.ToString();
    }

    [Fact]
    public void A_phrase_across_the_cut_is_redacted_then_cut()
    {
        var words = GeneratedPhrases.Plain(avoid: Filler);
        var text = Across(1000, 40, words);

        var kept = TriageEngine.Default.RedactAndCut(text, 1000);

        Assert.True(kept.Length <= 1000, "more than what is kept");
        GeneratedPhrases.AssertNoneSurvives(words, kept, "the kept text");
        Assert.True(kept.EndsWith("xq  [REDACTED:mnemonic]", StringComparison.Ordinal), "the phrase at the cut is not kept as its marker");
    }

    [Fact]
    public void A_very_long_text_is_redacted_and_cut_with_its_note()
    {
        var words = GeneratedPhrases.Plain(avoid: Filler);
        var text = Across(5_000, 10, words) + new string('x', 30_000_000);

        var kept = TriageEngine.Default.RedactAndCut(text, 5_000, "\n[cut]");

        Assert.True(kept.Length <= 5_000, "more than what is kept");
        Assert.True(kept.EndsWith("\n[cut]", StringComparison.Ordinal), "the cut is not noted");
        GeneratedPhrases.AssertNoneSurvives(words, kept, "the kept text");
    }

    [Fact]
    public void A_short_text_is_kept_whole_and_redacted()
    {
        var words = GeneratedPhrases.Plain(avoid: "my phrase is . thanks");

        var kept = TriageEngine.Default.RedactAndCut("my phrase is " + string.Join(" ", words) + ". thanks", 1000, "[cut]");

        Assert.True(kept == "my phrase is [REDACTED:mnemonic]. thanks", "the text is not kept whole and redacted");
    }

    [GeneratedRegex(@"https://support\.example/api/surveys\?token=(\S+)")]
    private static partial Regex SurveyLink();

    [Fact]
    public async Task A_survey_comment_with_a_phrase_across_its_limit_is_stored_without_a_word_of_it()
    {
        var words = GeneratedPhrases.Plain(avoid: Filler + " How do I change my withdrawal address?");
        await using var host = await IntakeHost.StartAsync(azurite, AgentApi.Settings(new() { ["Intake:PublicBaseUrl"] = "https://support.example" }));
        using var client = host.CreateClient();
        var ticket = await AgentApi.SubmitAsync(client, "How do I change my withdrawal address?", "cut@example.com");
        await AgentApi.WaitForOutboundAsync(client, ticket.TicketId, "acknowledgement");
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.ResolveAsync(client, ticket.TicketId)).Status);
        await AgentApi.WaitForOutboundAsync(client, ticket.TicketId, "survey");
        var mail = host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == ticket.TicketId);
        var path = "/api/surveys?token=" + SurveyLink().Match(mail.Text!).Groups[1].Value;

        using var form = new FormUrlEncodedContent([new("score", "2"), new("comment", Across(1000, 45, words))]);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), form, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await StoredStrings.AssertNoWordStoredAsync(host, words);
    }

    [Fact]
    public async Task A_mail_with_a_phrase_across_the_threads_limit_is_stored_without_a_word_of_it()
    {
        var words = GeneratedPhrases.Plain(avoid: Filler);
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        using var content = Parsed(Across(TicketStore.MaxTextLength, 100, words), subject: "Long log");
        using var response = await client.PostAsync(Endpoint, content, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var ticketId = json.RootElement.GetProperty("ticketId").GetString()!;
        await StoredStrings.AssertNoWordStoredAsync(host, words);
        var ticket = await StoredStrings.TicketAsync(host, ticketId);
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("mnemonic"));
    }
}
