using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Intake.Channels.WebForm;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: the ticket was decided on the subject and the body together, but each was stored after a triage of its own,
/// so a recovery phrase split between them, or a "seed phrase" label only in the subject with the words in the body,
/// was stored verbatim while the ticket counted it redacted; and email's full body (with its quoted history) was
/// redacted without the subject and without what triage found in the new text. What is stored is now cut out of the
/// deciding pass, and a full body never keeps what that pass redacted.
/// </summary>
public sealed class SplitSubjectBodyRedactionTests(AzuriteFixture azurite)
{
    private static readonly Uri WebForm = new("/api/intake/web", UriKind.Relative);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>
    /// The phrase with two of its words swapped for everyday ones: its checksum fails and it reads like text, so only a
    /// label nearby ("seed phrase") makes it a phrase.
    /// </summary>
    private static string Unchecked(string[] words)
    {
        var text = string.Join(" ", words.Select((w, i) => i == 3 ? "please" : i == 7 ? "again" : w));
        Assert.Empty(TriageEngine.Default.Triage(text).Secrets);
        return text;
    }

    private static async Task<WebFormAccepted> SubmitAsync(HttpClient client, object form)
    {
        using var response = await client.PostAsJsonAsync(WebForm, form, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebFormAccepted>(Cancellation))!;
    }

    private static async Task<string> PostMailAsync(HttpClient client, HttpContent content)
    {
        using (content)
        {
            using var response = await client.PostAsync(Endpoint, content, Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
            return json.RootElement.GetProperty("ticketId").GetString()!;
        }
    }

    private static RedactedMessage Redact(string? subject, string text, string? stored = null) =>
        MessageRedaction.Redact(TriageEngine.Default, new InboundMessage("email", new Contact("email", "a@example.com"), text, subject) { StoredText = stored });

    [Fact]
    public void A_secret_across_subject_and_text_is_redacted_on_both_sides_and_counted_once()
    {
        var words = GeneratedPhrases.Plain();

        var redacted = Redact("About " + string.Join(" ", words[..5]), string.Join(" ", words[5..]) + "\nThanks");

        Assert.True(redacted.Subject == "About [REDACTED:mnemonic]", "the subject's part of the phrase was not redacted");
        Assert.True(redacted.Body == "[REDACTED:mnemonic]\nThanks", "the text's part of the phrase was not redacted");
        Assert.Equal(1, redacted.Decision.Redactions[SecretKind.Mnemonic]);
        Assert.True(redacted.Decision.SecretExposed);
    }

    [Fact]
    public void A_label_in_the_subject_redacts_a_phrase_in_the_text()
    {
        var words = GeneratedPhrases.Plain();

        var redacted = Redact("My seed phrase", Unchecked(words));

        Assert.True(redacted.Body == "[REDACTED:mnemonic]", "the text was not redacted whole");
        Assert.Equal(1, redacted.Decision.Redactions[SecretKind.Mnemonic]);
    }

    [Fact]
    public void The_full_body_never_keeps_what_was_redacted_in_the_new_text()
    {
        const string Between = "> Which wallet app do you use, and since when?";
        var words = GeneratedPhrases.Plain(avoid: Between);
        var full = "Hello,\r\n" + string.Join("\r\n", words[..6]) + "\r\n" + Between + "\r\n" + string.Join("\r\n", words[6..]) + "\r\n\r\n> Earlier: nothing";
        var text = "Hello,\n" + string.Join("\n", words);

        var redacted = Redact("Wallet emptied", text, full);

        GeneratedPhrases.AssertNoneSurvives(words, redacted.Body, "the full body");
        Assert.True(redacted.Body.StartsWith("Hello,\r\n[REDACTED:mnemonic]", StringComparison.Ordinal), "the phrase's first lines were not redacted where they stood");
        Assert.True(redacted.Body.Contains(Between, StringComparison.Ordinal), "the quoted line between the words was lost");
        Assert.True(redacted.Body.EndsWith("> Earlier: nothing", StringComparison.Ordinal), "the quoted history was lost");
    }

    [Fact]
    public void The_full_body_is_redacted_by_a_pass_that_sees_the_subject()
    {
        var words = GeneratedPhrases.Plain(avoid: "See below. On Mon, Ada wrote:");

        var redacted = Redact("My recovery phrase", "See below.", "See below.\n\nOn Mon, Ada wrote:\n> " + Unchecked(words));

        GeneratedPhrases.AssertNoneSurvives(words, redacted.Body, "the full body");
        Assert.Equal("My recovery phrase", redacted.Subject);
    }

    [Fact]
    public void A_message_without_a_secret_is_stored_as_it_came()
    {
        var redacted = Redact("Withdrawal stuck", "My withdrawal of 500 USDT is pending.", "My withdrawal of 500 USDT is pending.\n\n> Quoted");

        Assert.Equal("Withdrawal stuck", redacted.Subject);
        Assert.Equal("My withdrawal of 500 USDT is pending.\n\n> Quoted", redacted.Body);
        Assert.Empty(redacted.Decision.Secrets);
    }

    [Fact]
    public async Task A_phrase_split_between_subject_and_message_is_stored_in_neither()
    {
        var words = GeneratedPhrases.Plain();
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        var accepted = await SubmitAsync(client, new { subject = string.Join(" ", words[..4]), message = string.Join(" ", words[4..]), email = "split@example.com" });

        await StoredStrings.AssertNoWordStoredAsync(host, words);
        var ticket = await StoredStrings.TicketAsync(host, accepted.TicketId);
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("mnemonic"));
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        Assert.True(ticket.Subject?.Contains("[REDACTED:mnemonic]", StringComparison.Ordinal), "the subject's part of the phrase is not marked");
    }

    [Fact]
    public async Task A_label_only_in_the_subject_redacts_the_words_in_the_message()
    {
        var words = GeneratedPhrases.Plain();
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        var accepted = await SubmitAsync(client, new { subject = "My seed phrase", message = Unchecked(words), email = "label@example.com" });

        await StoredStrings.AssertNoWordStoredAsync(host, words);
        var ticket = await StoredStrings.TicketAsync(host, accepted.TicketId);
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("mnemonic"));
    }

    [Fact]
    public async Task A_follow_up_split_between_subject_and_message_is_stored_redacted()
    {
        var words = GeneratedPhrases.Plain();
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();
        var first = await SubmitAsync(client, new { message = "My deposit has not arrived after two hours", email = "again@example.com" });

        using var response = await client.PostAsJsonAsync(
            WebForm,
            new { subject = string.Join(" ", words[..6]), message = string.Join(" ", words[6..]), email = "again@example.com", reference = first.Reference },
            Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var thread = await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(first.TicketId, Cancellation);
        Assert.Equal(2, thread.Count(m => m.Direction == MessageDirection.Inbound));
        await StoredStrings.AssertNoWordStoredAsync(host, words);
        var ticket = await StoredStrings.TicketAsync(host, first.TicketId);
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("mnemonic"));
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
    }

    [Fact]
    public async Task A_mail_with_the_label_in_its_subject_keeps_neither_its_new_text_nor_its_full_body_unredacted()
    {
        const string Quoted = "On Mon, 23 Nov 2026 at 09:00, Support <support@exchange.example> wrote:\n> Please tell us what happened.";
        var words = GeneratedPhrases.Plain(avoid: Quoted);
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var ticketId = await PostMailAsync(client, Parsed(Unchecked(words) + "\n\n" + Quoted, subject: "Recovery phrase"));

        await StoredStrings.AssertNoWordStoredAsync(host, words);
        var ticket = await StoredStrings.TicketAsync(host, ticketId);
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("mnemonic"));
    }

    [Fact]
    public async Task A_phrase_answered_between_quoted_lines_is_not_kept_in_the_full_body()
    {
        // The new text triage reads skips the quoted line, so there the words follow one another; in the full body a
        // quoted sentence stands between them.
        const string Between = "> Which wallet app do you use, and since when?";
        var words = GeneratedPhrases.Plain(avoid: Between);
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var body = string.Join("\n", words[..6]) + "\n" + Between + "\n" + string.Join("\n", words[6..]) + "\n";
        var ticketId = await PostMailAsync(client, Parsed(body, subject: "Wallet emptied"));

        await StoredStrings.AssertNoWordStoredAsync(host, words);
        var ticket = await StoredStrings.TicketAsync(host, ticketId);
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("mnemonic"));
    }
}
