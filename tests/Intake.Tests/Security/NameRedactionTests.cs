using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Intake.Channels.WebForm;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: names the customer chooses — the contact's name on every channel (a mail's display name, Telegram's first and
/// last name, WhatsApp's profile name, X's name, the web form's name) and attachments' file names — were stored as
/// given, so a password written into a name, or a recovery phrase as a file name, reached storage. Intake now redacts
/// every name before anything is stored, reading '_', '.', '-' and '+' in a file name as spaces, and counts what it
/// finds on the ticket like a secret in the text.
/// </summary>
public sealed class NameRedactionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Password = "Tr0ub4dor&3-Zq";

    // Letters and digits only, as a form that restricts names to them would still take.
    private const string PlainPassword = "Tr0ub4dor3Zq";
    private const string TelegramSecret = TelegramEndToEndTests.Secret;

    private readonly FakeTelegram telegram = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await telegram.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await telegram.DisposeAsync();

    private static async Task AssertPasswordNowhereAsync(IntakeHost host)
    {
        foreach (var (where, value) in await StoredStrings.ReadAsync(host))
        {
            Assert.False(value.Contains(Password, StringComparison.Ordinal), $"the password was stored in {where}");
        }
    }

    private static RedactedMessage Redact(string? name, params string[] files) =>
        MessageRedaction.Redact(
            TriageEngine.Default,
            new InboundMessage("telegram", new Contact("telegram", "42", name), "Please look at the attachment")
            {
                Details = new MessageDetails([.. files.Select(f => new AttachmentNote(f, "text/plain", 10))], new Dictionary<string, string>()),
            });

    [Theory]
    [InlineData("Ada password: " + Password, "Ada password: [REDACTED:password]")]
    [InlineData("Bob (pwd=" + Password + ")", "Bob (pwd=[REDACTED:password])")]
    [InlineData("密码是" + Password, "密码是[REDACTED:password]")]
    public void A_password_in_a_contacts_name_is_redacted_and_counted(string name, string expected)
    {
        var redacted = Redact(name);

        Assert.True(redacted.Contact.Name == expected, $"the name is not '{expected}'");
        Assert.Equal(1, redacted.Decision.Redactions[SecretKind.Password]);
        Assert.True(redacted.Decision.SecretExposed);
        Assert.Equal(Urgency.Urgent, redacted.Decision.Urgency);
    }

    [Theory]
    [InlineData('_', "backup_{0}.txt", "backup_[REDACTED:mnemonic].txt")]
    [InlineData('.', "{0}.txt", "[REDACTED:mnemonic].txt")]
    [InlineData('-', "My Seed (copy 2)-{0}.pdf", "My Seed (copy 2)-[REDACTED:mnemonic].pdf")]
    [InlineData('+', "{0}+final.md", "[REDACTED:mnemonic]+final.md")]
    [InlineData(' ', "{0}.json", "[REDACTED:mnemonic].json")]
    public void A_phrase_as_a_file_name_is_redacted_and_the_rest_of_the_name_kept(char separator, string shape, string expected)
    {
        var words = GeneratedPhrases.Plain(avoid: "backup txt My Seed copy pdf final md json");

        var redacted = Redact("Ada", string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, string.Join(separator, words)));

        Assert.True(Assert.Single(redacted.Details!.Attachments).Name == expected, $"the file name is not '{expected}'");
        Assert.Equal(1, redacted.Decision.Redactions[SecretKind.Mnemonic]);
        Assert.True(redacted.Decision.SecretExposed);
    }

    [Fact]
    public void Secrets_in_several_names_are_all_counted()
    {
        var words = GeneratedPhrases.Plain();

        var redacted = Redact("Ada pass: " + Password, string.Join('_', words) + ".txt", "statement.pdf", "photo.jpg");

        Assert.True(
            redacted.Details!.Attachments.Select(a => a.Name).SequenceEqual(["[REDACTED:mnemonic].txt", "statement.pdf", "photo.jpg"]), "the file names are not as expected");
        Assert.True(redacted.Contact.Name == "Ada pass: [REDACTED:password]", "the name was not redacted");
        Assert.Equal(1, redacted.Decision.Redactions[SecretKind.Mnemonic]);
        Assert.Equal(1, redacted.Decision.Redactions[SecretKind.Password]);
        Assert.Equal([SecretKind.Mnemonic, SecretKind.Password], redacted.Decision.Secrets);
    }

    [Theory]
    [InlineData("Ada Lovelace")]
    [InlineData("王小明")]
    [InlineData("@ada_l")]
    [InlineData("José María-Pérez")]
    public void Ordinary_names_are_kept_as_they_are_and_change_nothing(string name)
    {
        var redacted = Redact(name, "statement_2026-11.pdf", "wallet-address.png", "IMG_0042.jpg");

        Assert.Equal(name, redacted.Contact.Name);
        Assert.Equal(["statement_2026-11.pdf", "wallet-address.png", "IMG_0042.jpg"], redacted.Details!.Attachments.Select(a => a.Name));
        Assert.Empty(redacted.Decision.Secrets);
        Assert.NotEqual(Urgency.Urgent, redacted.Decision.Urgency);
    }

    [Fact]
    public void A_long_name_is_redacted_before_it_is_cut()
    {
        var words = GeneratedPhrases.Plain(avoid: "x");
        var name = new string('x', MessageRedaction.MaxNameLength - 40) + "_" + string.Join('_', words) + ".txt";

        var redacted = Redact("Ada", name);

        var kept = Assert.Single(redacted.Details!.Attachments).Name;
        Assert.True(kept.Length <= MessageRedaction.MaxNameLength, "longer than a name is kept");
        GeneratedPhrases.AssertNoneSurvives(words, kept, "the kept file name");
    }

    [Fact]
    public async Task A_password_in_the_web_forms_name_is_stored_redacted_and_flags_the_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsJsonAsync(
            new Uri("/api/intake/web", UriKind.Relative),
            new { name = $"Ada password {PlainPassword}", message = "How do I enable 2FA on my account?", email = "named@example.com" },
            Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<WebFormAccepted>(Cancellation))!;
        foreach (var (where, value) in await StoredStrings.ReadAsync(host))
        {
            Assert.False(value.Contains(PlainPassword, StringComparison.Ordinal), $"the password was stored in {where}");
        }

        var ticket = await StoredStrings.TicketAsync(host, accepted.TicketId);
        Assert.True(ticket.Contact.Name == "Ada password [REDACTED:password]", "the stored name is not redacted as expected");
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("password"));
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
    }

    [Fact]
    public async Task A_password_in_a_mails_display_name_is_stored_redacted()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        using var content = Parsed("Where is my deposit from this morning?", from: $"\"Bob pass: {Password}\" <bob@customer.example>", envelopeFrom: "bob@customer.example");
        using var response = await client.PostAsync(Endpoint, content, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        await AssertPasswordNowhereAsync(host);
        var ticket = await StoredStrings.TicketAsync(host, json.RootElement.GetProperty("ticketId").GetString()!);
        Assert.True(ticket.Contact.Name == "Bob pass: [REDACTED:password]", "the stored name is not redacted as expected");
    }

    [Fact]
    public async Task A_phrase_as_a_telegram_documents_file_name_and_a_password_in_the_senders_name_are_never_stored()
    {
        var words = GeneratedPhrases.Plain(avoid: "Ada backup please check this file");
        await using var host = await IntakeHost.StartAsync(azurite, telegram.Settings(TelegramSecret));
        using var client = host.CreateClient();
        var from = TelegramFixtures.User();
        from["last_name"] = $"pwd: {Password}";
        var message = TelegramFixtures.Document(TelegramFixtures.Message(31, null, from), "please check this file");
        message["document"]!["file_name"] = "backup_" + string.Join("_", words) + ".txt";

        var status = await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.Update(6101, "message", message), TelegramSecret);

        Assert.Equal(HttpStatusCode.OK, status);
        await StoredStrings.AssertNoWordStoredAsync(host, words);
        await AssertPasswordNowhereAsync(host);
        var stored = host.Services.GetRequiredService<TicketStore>();
        var ticket = (await stored.FindByProviderMessageAsync("telegram", "6101", Cancellation))!.Ticket;
        Assert.True(ticket.Contact.Name == "Ada pwd: [REDACTED:password]", "the stored name is not redacted as expected");
        var note = Assert.Single((await stored.GetMessagesAsync(ticket.Id, Cancellation)).Single(m => m.Direction == MessageDirection.Inbound).Details!.Attachments);
        Assert.True(note.Name == "backup_[REDACTED:mnemonic].txt", "the stored file name is not redacted as expected");
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("mnemonic"));
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
    }
}
